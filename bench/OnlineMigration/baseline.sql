-- The baseline: AddUpdatedAt's work the plain way, as psql runs it. The expand step is the migration's own; then one
-- UPDATE over the whole table, SET NOT NULL (a full scan under ACCESS EXCLUSIVE) and a plain CREATE INDEX (which
-- blocks writes while it builds).
\set ON_ERROR_STOP on
\timing on
BEGIN;
ALTER TABLE "Todos" ADD COLUMN IF NOT EXISTS "UpdatedAt" timestamp with time zone,
    ALTER COLUMN "UpdatedAt" SET DEFAULT now();
CREATE OR REPLACE FUNCTION "Todos_UpdatedAt_touch"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW."UpdatedAt" := now();
    RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER "Todos_UpdatedAt" BEFORE UPDATE ON "Todos" FOR EACH ROW
    WHEN (OLD."UpdatedAt" IS NOT DISTINCT FROM NEW."UpdatedAt")
    EXECUTE FUNCTION "Todos_UpdatedAt_touch"();
COMMIT;
UPDATE "Todos" SET "UpdatedAt" = "CreatedAt" WHERE "UpdatedAt" IS NULL;
ALTER TABLE "Todos" ALTER COLUMN "UpdatedAt" SET NOT NULL;
CREATE INDEX "IX_Todos_UpdatedAt" ON "Todos" ("UpdatedAt");
