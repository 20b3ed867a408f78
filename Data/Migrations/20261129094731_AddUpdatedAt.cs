using Microsoft.EntityFrameworkCore.Migrations;
using SafeMigrations.Online;

#nullable disable

namespace Data.Migrations
{
    /// <summary>
    /// Adds <c>UpdatedAt</c> the online way (hand-written; EF generated a plain AddColumn and CreateIndex): no step holds
    /// a lock that stops the app's reads or writes for longer than a moment, however large <c>Todos</c> is, and a run
    /// killed at any point is completed by the next one. Every step is safe to run twice, because after an interruption
    /// the next run starts this migration from the top; the history row is written after the last step.
    /// </summary>
    public partial class AddUpdatedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // 1. Expand, in one short transaction. The column comes without a default, so existing rows read NULL (no
            //    rewrite); the default then applies to new rows only. (EF's generated AddColumn with a default would stamp
            //    every existing row with this migration's time.) The trigger keeps the column current on every update,
            //    including those of the release still serving, which knows nothing of it.
            migrationBuilder.Sql(
                """
                ALTER TABLE "Todos" ADD COLUMN IF NOT EXISTS "UpdatedAt" timestamp with time zone,
                    ALTER COLUMN "UpdatedAt" SET DEFAULT now();
                """);
            migrationBuilder.Sql(
                """
                CREATE OR REPLACE FUNCTION "Todos_UpdatedAt_touch"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW."UpdatedAt" := now();
                    RETURN NEW;
                END $$;
                """);
            // Fires unless the statement sets UpdatedAt itself (as the backfill does).
            migrationBuilder.Sql(
                """
                CREATE OR REPLACE TRIGGER "Todos_UpdatedAt" BEFORE UPDATE ON "Todos" FOR EACH ROW
                    WHEN (OLD."UpdatedAt" IS NOT DISTINCT FROM NEW."UpdatedAt")
                    EXECUTE FUNCTION "Todos_UpdatedAt_touch"();
                """);

            // 2. Existing rows: the last change we know of is their creation.
            migrationBuilder.BackfillInBatches("Todos", set: "\"UpdatedAt\" = \"CreatedAt\"", pending: "\"UpdatedAt\" IS NULL");

            // 3. The model's NOT NULL, and the index, without blocking readers or writers.
            migrationBuilder.SetNotNullOnline("Todos", "UpdatedAt");
            migrationBuilder.CreateIndexConcurrently("IX_Todos_UpdatedAt", "Todos", ["UpdatedAt"]);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // One short transaction: dropping the column takes its index with it (catalog changes only, no scan).
            migrationBuilder.Sql(
                """
                DROP TRIGGER IF EXISTS "Todos_UpdatedAt" ON "Todos";
                DROP FUNCTION IF EXISTS "Todos_UpdatedAt_touch"();
                ALTER TABLE "Todos" DROP COLUMN IF EXISTS "UpdatedAt";
                """);
        }
    }
}
