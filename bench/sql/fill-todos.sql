-- Tops the to-do table up to :rows rows (psql -v rows=N), shaped like the integration tests' large list: open and
-- done, with and without due dates, many sharing a date (so the id decides their order). Then fresh statistics.
INSERT INTO "Todos" ("Title", "IsDone", "DueDate")
SELECT 'Bulk ' || i, i % 4 = 0, CASE WHEN i % 7 = 0 THEN NULL ELSE DATE '2030-01-01' + (i % 60)::int END
FROM generate_series(1, :rows - (SELECT count(*) FROM "Todos")) AS i;
ANALYZE "Todos";
