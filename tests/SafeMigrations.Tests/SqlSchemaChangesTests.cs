using SafeMigrations.Schema;

namespace SafeMigrations.Tests;

/// <summary>What the guards read out of hand-written migration SQL, and what they leave alone.</summary>
public sealed class SqlSchemaChangesTests
{
    [Theory]
    [InlineData("""ALTER TABLE "Todos" ADD COLUMN IF NOT EXISTS "UpdatedAt" timestamp with time zone, ALTER COLUMN "UpdatedAt" SET DEFAULT now();""",
        "AddColumn Todos.UpdatedAt; SetDefault Todos.UpdatedAt")]
    [InlineData("""ALTER TABLE "T" ADD "C" numeric(10, 2) NOT NULL DEFAULT 0""", "AddColumn T.C; SetDefault T.C; SetNotNull T.C")]
    [InlineData("""DROP TABLE IF EXISTS todos, public."Tags";""", "DropTable todos; DropTable public.Tags")]
    [InlineData("""ALTER TABLE "Todos" DROP COLUMN IF EXISTS "UpdatedAt";""", "DropColumn Todos.UpdatedAt")]
    [InlineData("""alter table only public.Todos drop Title""", "DropColumn public.todos.title")]
    [InlineData("""ALTER TABLE "Todos" RENAME COLUMN "Title" TO "Name";""", "RenameColumn Todos.Title")]
    [InlineData("""ALTER TABLE "Todos" RENAME TO "Tasks";""", "RenameTable Todos")]
    [InlineData("""ALTER TABLE "T" ALTER "C" TYPE bigint;""", "ChangeColumnType T.C")]
    [InlineData("""ALTER TABLE "T" ALTER COLUMN "C" SET DATA TYPE text USING "C"::text;""", "ChangeColumnType T.C")]
    [InlineData("""DO $$ BEGIN IF true THEN ALTER TABLE "Todos" ALTER COLUMN "UpdatedAt" SET NOT NULL; END IF; END $$;""", "SetNotNull Todos.UpdatedAt")]
    [InlineData("""CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "IX" ON "Todos" ("A", "B");""", "CreateIndexConcurrently Todos")]
    [InlineData("""create index on todos (a)""", "CreateIndex todos")]
    [InlineData("""CREATE TABLE IF NOT EXISTS "Tags" ("Name" text NOT NULL);""", "CreateTable Tags")]
    // Left alone: constraints, indexes' own renames and drops, data changes, comments and string literals.
    [InlineData("""ALTER TABLE "T" ADD CONSTRAINT "CK" CHECK ("C" IS NOT NULL) NOT VALID; ALTER TABLE "T" VALIDATE CONSTRAINT "CK"; ALTER TABLE "T" DROP CONSTRAINT "CK";""", "")]
    [InlineData("""ALTER INDEX "IX" RENAME TO "IX_invalid"; DROP INDEX CONCURRENTLY IF EXISTS "IX_invalid";""", "")]
    [InlineData("""UPDATE "Todos" SET "DueDate" = current_date WHERE "DueDate" IS NULL;""", "")]
    [InlineData("-- DROP TABLE \"Todos\";\n/* ALTER TABLE \"Todos\" DROP COLUMN \"Title\"; */ RAISE INFO 'DROP TABLE \"Todos\"';", "")]
    public void Reads_the_changes_each_statement_makes(string sql, string expected)
    {
        var changes = SqlSchemaChanges.Of(sql).Select(c => $"{c.Kind} {c.Target}");

        Assert.Equal(expected, string.Join("; ", changes));
    }
}
