-- pgbench script: the statement EF Core sends for GET /api/todos (first page, default limit 50: one row more is read
-- to know whether a next page exists). Captured from the web app's command log; keep it in step with
-- WebApp/TodoListPage.cs and WebApp/TodoListOrder.cs. With -M extended the limit is a bind parameter, as Npgsql sends it.
\set limit 51
SELECT t."Id", t."CreatedAt", t."DueDate", t."IsDone", t."Title", t."UpdatedAt"
FROM "Todos" AS t
ORDER BY t."IsDone", t."DueDate", t."Id"
LIMIT :limit;
