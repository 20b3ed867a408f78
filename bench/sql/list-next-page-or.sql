-- The statement EF Core sent for the same later page before the list's predicate was written as runs (release 1.0.0's
-- WebApp/TodoListOrder.cs): one predicate with OR, which leaves the index only a filter. The benchmark's baseline.
SELECT t."Id", t."CreatedAt", t."DueDate", t."IsDone", t."Title", t."UpdatedAt"
FROM "Todos" AS t
WHERE (t."IsDone" = FALSE AND (t."DueDate" > DATE :'due' OR t."DueDate" IS NULL OR (t."DueDate" = DATE :'due' AND t."Id" > :id))) OR t."IsDone"
ORDER BY t."IsDone", t."DueDate", t."Id"
LIMIT :limit;
