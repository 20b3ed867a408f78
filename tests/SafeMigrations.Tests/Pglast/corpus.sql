-- Tricky SQL for the cross-check against PostgreSQL's parser (PglastCrossCheckTests): each entry, between lines
-- "-- entry", is split and classified by the reader and by libpg_query, and both must agree.
-- entry
SELECT $m$it's$m$; ALTER TABLE "Todos" DROP COLUMN "DueDate"; SELECT 'x';
-- entry
SELECT E'it\'s; DROP TABLE "Hidden"; \\'; DROP TABLE "Seen";
-- entry
/* outer /* inner; DROP TABLE a; */ still; DROP TABLE b; */ DROP TABLE c; -- DROP TABLE d;
SELECT 1 /* ; */, 2 -- ;
;
-- entry
SELECT $a$ $b$ ; $b$ ' $a$, $$x$$, 'a''b', B'1', X'f', N'n', U&'d\0061t';
DELETE FROM "Todos" WHERE "Title" = 'it''s ; here';
-- entry
SELECT "a;b"""";", U&"d\0061t\+000061" FROM t;
UPDATE t SET "x;" = NULL, y = 'z' WHERE "a;b" IS NULL;
-- entry
DO $do$
DECLARE
    n bigint := 0;
    started timestamptz := clock_timestamp();
BEGIN
    <<outer>>
    LOOP
        IF n > 0 THEN
            DELETE FROM "Todos" WHERE "IsDone";
        ELSIF n < 0 THEN
            UPDATE "Todos" SET "Title" = NULL WHERE "Id" = n;
        ELSE
            EXIT outer;
        END IF;
    END LOOP;
    FOR i IN 1..2 LOOP
        EXECUTE 'TRUNCATE "Tags"';
    END LOOP;
    CASE n WHEN 1 THEN DROP TABLE "Old"; ELSE NULL; END CASE;
    RAISE NOTICE 'done: %; it''s %', n, round(extract(epoch FROM clock_timestamp() - started));
EXCEPTION WHEN others THEN
    RAISE NOTICE '%', SQLERRM;
END $do$;
-- entry
DO $$ BEGIN EXECUTE format('DROP TABLE %I', 'Todos'); END $$;
-- entry
DO $$ BEGIN PERFORM wipe_everything(); END $$;
-- entry
DO $$ DECLARE r record; BEGIN FOR r IN SELECT id FROM t LOOP DELETE FROM u WHERE u.id = r.id; END LOOP; END $$;
-- entry
DO LANGUAGE plpgsql $$ BEGIN ALTER TABLE "T" ALTER COLUMN "C" TYPE bigint; END $$;
-- entry
DO $$ BEGIN IF EXISTS (SELECT FROM pg_index WHERE indexrelid = to_regclass('"IX"') AND NOT indisvalid) THEN ALTER INDEX "IX" RENAME TO "IX_invalid"; END IF; END $$;
-- entry
DROP TABLE IF EXISTS todos, app."Tags";
DROP TABLE "Parent" CASCADE;
DROP SCHEMA IF EXISTS app CASCADE;
DROP TYPE mood CASCADE;
DROP FUNCTION f(int), g() CASCADE;
DROP EXTENSION hstore;
DROP VIEW v;
DROP INDEX CONCURRENTLY IF EXISTS "IX";
DROP TRIGGER IF EXISTS "Todos_UpdatedAt" ON "Todos";
DROP FUNCTION IF EXISTS "Todos_UpdatedAt_touch"();
DROP DATABASE other;
DROP OWNED BY someone;
DROP COLLATION c CASCADE;
DROP POLICY p ON t CASCADE;
-- entry
ALTER TABLE ONLY "Todos" DROP COLUMN IF EXISTS "DueDate" CASCADE, ALTER "Title" TYPE text, ADD COLUMN n int DEFAULT 0 NOT NULL,
    ALTER COLUMN n SET DEFAULT 1, ADD CONSTRAINT ck CHECK (n > 0) NOT VALID, VALIDATE CONSTRAINT ck, DROP CONSTRAINT ck;
ALTER TABLE t RENAME COLUMN a TO b;
ALTER TABLE t RENAME TO u;
ALTER TABLE t SET SCHEMA s;
ALTER INDEX "IX" RENAME TO "IX2";
ALTER TABLE IF EXISTS app.t ALTER COLUMN c SET DATA TYPE numeric(10, 2) USING c::numeric(10, 2);
-- entry
DELETE FROM "Todos" AS t USING "Tags" g WHERE g."TodoId" = t."Id" RETURNING t."Id";
DELETE FROM ONLY todos;
UPDATE "Todos" SET "DueDate" = NULL, ("Title", "IsDone") = ('x', false) WHERE "IsDone";
UPDATE t SET x = y FROM u WHERE u.id = t.id;
TRUNCATE TABLE "Todos", app.tags RESTART IDENTITY;
TRUNCATE a CASCADE;
INSERT INTO t (id, at) VALUES (1, now());
INSERT INTO t (id) VALUES (1) ON CONFLICT (id) DO UPDATE SET x = 2;
INSERT INTO t (id) SELECT wipe() ;
-- entry
SELECT set_config('migrations.saved_lock_timeout', current_setting('lock_timeout'), false), set_config('lock_timeout', '0', false);
SELECT count(*) FROM t WHERE x IN (SELECT y FROM u) AND EXISTS (SELECT 1) AND CAST(z AS varchar(10)) = 'a' AND w::numeric(5, 1) > 0;
SELECT app.count(*) FROM t;
SELECT pg_catalog.now(), lower(x), coalesce(a, b), greatest(1, 2), substring(s from 1 for 2), position('a' in s), trim(both from s);
WITH gone AS (DELETE FROM t RETURNING *) SELECT count(*) FROM gone;
WITH x AS (SELECT 1) SELECT * FROM x FOR UPDATE;
-- entry
CREATE TABLE "Tags" ("Id" int GENERATED ALWAYS AS IDENTITY, "N" text DEFAULT nextval('s'));
CREATE TABLE copy AS SELECT wipe();
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "IX" ON "Todos" ("A", lower("B"));
CREATE OR REPLACE FUNCTION "f"() RETURNS trigger LANGUAGE plpgsql AS $sync$ BEGIN DELETE FROM x; RETURN NEW; END $sync$;
CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END;
CREATE OR REPLACE TRIGGER "t" BEFORE UPDATE ON "Todos" FOR EACH ROW WHEN (OLD."U" IS NOT DISTINCT FROM NEW."U") EXECUTE FUNCTION "f"();
CREATE RULE r AS ON INSERT TO t DO ALSO (SELECT 1; SELECT 2);
COMMENT ON TABLE "Todos" IS 'DELETE FROM x';
GRANT EXECUTE ON FUNCTION f(int) TO r;
SET lock_timeout = '1s';
LOCK TABLE "Todos" IN ACCESS EXCLUSIVE MODE;
CALL archive_todos();
MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE;
EXPLAIN ANALYZE DELETE FROM t;
EXPLAIN DELETE FROM t;
ALTER EXTENSION hstore UPDATE;
BEGIN; COMMIT;
