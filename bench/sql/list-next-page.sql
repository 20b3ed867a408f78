-- The statement EF Core sends for a later page of GET /api/todos after an open, dated to-do (psql -v due=yyyy-mm-dd
-- -v id=N -v limit=51): the runs of the list after the cursor, each ordered and bounded (201: the most rows a page
-- reads), merged. Captured from the web app's command log; keep it in step with WebApp/TodoListOrder.cs.
SELECT u0."Id", u0."CreatedAt", u0."DueDate", u0."IsDone", u0."Title", u0."UpdatedAt"
FROM (
    SELECT t1."Id", t1."CreatedAt", t1."DueDate", t1."IsDone", t1."Title", t1."UpdatedAt"
    FROM (
        SELECT t."Id", t."CreatedAt", t."DueDate", t."IsDone", t."Title", t."UpdatedAt"
        FROM "Todos" AS t
        WHERE NOT (t."IsDone") AND (t."DueDate", t."Id") > (DATE :'due', :id)
        ORDER BY t."IsDone", t."DueDate", t."Id"
        LIMIT 201
    ) AS t1
    UNION ALL
    SELECT t2."Id", t2."CreatedAt", t2."DueDate", t2."IsDone", t2."Title", t2."UpdatedAt"
    FROM (
        SELECT t0."Id", t0."CreatedAt", t0."DueDate", t0."IsDone", t0."Title", t0."UpdatedAt"
        FROM "Todos" AS t0
        WHERE NOT (t0."IsDone") AND t0."DueDate" IS NULL
        ORDER BY t0."IsDone", t0."DueDate", t0."Id"
        LIMIT 201
    ) AS t2
    UNION ALL
    SELECT t4."Id", t4."CreatedAt", t4."DueDate", t4."IsDone", t4."Title", t4."UpdatedAt"
    FROM (
        SELECT t3."Id", t3."CreatedAt", t3."DueDate", t3."IsDone", t3."Title", t3."UpdatedAt"
        FROM "Todos" AS t3
        WHERE t3."IsDone"
        ORDER BY t3."IsDone", t3."DueDate", t3."Id"
        LIMIT 201
    ) AS t4
) AS u0
ORDER BY u0."IsDone", u0."DueDate", u0."Id"
LIMIT :limit;
