using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using SafeMigrations.Online;

namespace SafeMigrations.Tests;

/// <summary>
/// The SQL the online-migration helpers write, statement by statement. Pinned: the migration worker checksums a
/// migration's operations, so a helper that wrote other SQL would make every applied migration using it look edited.
/// (That the SQL does what it says on PostgreSQL is for the integration tests, which apply it.)
/// </summary>
public sealed class OnlineMigrationSqlTests
{
    [Fact]
    public void BackfillInBatches_is_one_loop_that_commits_each_batch_outside_the_migration_transaction()
    {
        var statements = Statements(b => b.BackfillInBatches("Todos", set: "\"UpdatedAt\" = \"CreatedAt\"", pending: "\"UpdatedAt\" IS NULL"));

        Assert.Equal(
            [
                """
                DO $backfill$
                DECLARE
                    batch_start bigint;
                    batch_end bigint;
                    updated bigint;
                    started timestamptz;
                BEGIN
                    SELECT min("Id") INTO batch_start FROM "Todos" WHERE "UpdatedAt" IS NULL;
                    WHILE batch_start IS NOT NULL LOOP
                        started := clock_timestamp();
                        batch_end := batch_start + 10000;
                        UPDATE "Todos" SET "UpdatedAt" = "CreatedAt"
                        WHERE "Id" >= batch_start AND "Id" < batch_end AND ("UpdatedAt" IS NULL);
                        GET DIAGNOSTICS updated = ROW_COUNT;
                        COMMIT;
                        RAISE INFO 'Backfill of %: % row(s) with % in [%, %) in % ms', 'Todos', updated,
                            'Id', batch_start, batch_end,
                            round(extract(epoch FROM clock_timestamp() - started) * 1000);
                        -- The next key that exists: gaps in the keys cost one index probe, not empty batches.
                        SELECT min("Id") INTO batch_start FROM "Todos" WHERE "Id" >= batch_end;
                    END LOOP;
                END $backfill$;
                """,
            ],
            statements);
    }

    [Fact]
    public void BackfillInBatches_quotes_the_names_it_is_given_and_takes_the_batch_size_and_key()
    {
        var statement = Assert.Single(Statements(b =>
            b.BackfillInBatches("Order \"Lines\"", set: "\"Total\" = 0", pending: "\"Total\" IS NULL", batchSize: 500, keyColumn: "Line'No")));

        Assert.Contains(""""SELECT min("Line'No") INTO batch_start FROM "Order ""Lines""" WHERE "Total" IS NULL;"""", statement);
        Assert.Contains("batch_end := batch_start + 500;", statement);
        Assert.Contains("""'Order "Lines"', updated,""", statement);
        Assert.Contains("'Line''No', batch_start, batch_end,", statement);
    }

    [Fact]
    public void SetNotNullOnline_is_four_steps_each_done_only_while_still_to_do()
    {
        var statements = Statements(b => b.SetNotNullOnline("Todos", "UpdatedAt"));

        const string Nullable = """EXISTS (SELECT FROM pg_attribute WHERE attrelid = to_regclass('"Todos"') AND attname = 'UpdatedAt' AND NOT attnotnull)""";
        const string Check = """SELECT FROM pg_constraint WHERE conrelid = to_regclass('"Todos"') AND conname = 'CK_Todos_UpdatedAt_NotNull'""";
        Assert.Equal(
            [
                IfThen($"{Nullable} AND NOT EXISTS ({Check})",
                    """ALTER TABLE "Todos" ADD CONSTRAINT "CK_Todos_UpdatedAt_NotNull" CHECK ("UpdatedAt" IS NOT NULL) NOT VALID;"""),
                IfThen($"EXISTS ({Check} AND NOT convalidated)", """ALTER TABLE "Todos" VALIDATE CONSTRAINT "CK_Todos_UpdatedAt_NotNull";"""),
                IfThen(Nullable, """ALTER TABLE "Todos" ALTER COLUMN "UpdatedAt" SET NOT NULL;"""),
                IfThen($"EXISTS ({Check})", """ALTER TABLE "Todos" DROP CONSTRAINT "CK_Todos_UpdatedAt_NotNull";"""),
            ],
            statements);
    }

    [Fact]
    public void SetNotNullOnline_names_and_looks_up_its_constraint_as_PostgreSQL_stores_a_long_name()
    {
        // CK_ + 30 × 2 bytes + _ + 20 + _NotNull: PostgreSQL keeps the first 63 bytes, and so must every catalog check.
        var table = new string('ä', 30);
        var column = new string('c', 20);

        var statements = Statements(b => b.SetNotNullOnline(table, column));

        var stored = "CK_" + table;
        Assert.All(statements.Where(s => s.Contains("pg_constraint")), s => Assert.Contains($"conname = '{stored}'", s));
        Assert.Contains($"ADD CONSTRAINT \"{stored}\" CHECK", statements[0]);
        Assert.Contains($"VALIDATE CONSTRAINT \"{stored}\";", statements[1]);
        Assert.DoesNotContain(statements, s => s.Contains("_NotNull"));
        Assert.Throws<ArgumentException>(() => Statements(b => b.SetNotNullOnline(table + new string('x', 4), column)));
    }

    [Fact]
    public void CreateIndexConcurrently_moves_an_invalid_leftover_away_and_builds_with_the_lock_timeout_lifted()
    {
        var statements = Statements(b => b.CreateIndexConcurrently("IX_Todos_UpdatedAt", "Todos", ["UpdatedAt"]));

        Assert.Equal(
            [
                IfThen("""EXISTS (SELECT FROM pg_index WHERE indexrelid = to_regclass('"IX_Todos_UpdatedAt"') AND NOT indisvalid)""",
                    """ALTER INDEX "IX_Todos_UpdatedAt" RENAME TO "IX_Todos_UpdatedAt_invalid";"""),
                "SELECT set_config('migrations.saved_lock_timeout', current_setting('lock_timeout'), false), set_config('lock_timeout', '0', false);",
                """DROP INDEX CONCURRENTLY IF EXISTS "IX_Todos_UpdatedAt_invalid";""",
                """CREATE INDEX CONCURRENTLY IF NOT EXISTS "IX_Todos_UpdatedAt" ON "Todos" ("UpdatedAt");""",
                "SELECT set_config('lock_timeout', current_setting('migrations.saved_lock_timeout'), false);",
            ],
            statements);
    }

    [Fact]
    public void CreateIndexConcurrently_builds_a_unique_index_on_several_columns()
    {
        var statements = Statements(b => b.CreateIndexConcurrently("IX_Todos_IsDone_DueDate", "Todos", ["IsDone", "DueDate"], unique: true));

        Assert.Contains("""CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "IX_Todos_IsDone_DueDate" ON "Todos" ("IsDone", "DueDate");""", statements);
    }

    [Fact]
    public void The_leftover_of_a_long_index_name_stays_within_PostgreSQLs_63_bytes()
    {
        var name = "IX_" + new string('x', 60);

        var statements = Statements(b => b.CreateIndexConcurrently(name, "Todos", ["Title"]));

        var leftover = name[..55] + "_invalid";
        Assert.Equal(63, leftover.Length);
        Assert.Contains($"DROP INDEX CONCURRENTLY IF EXISTS \"{leftover}\";", statements);
    }

    [Fact]
    public void Every_statement_runs_outside_the_migration_transaction()
    {
        var builder = new MigrationBuilder(TestMigration.Provider);
        builder.BackfillInBatches("Todos", set: "\"UpdatedAt\" = \"CreatedAt\"", pending: "\"UpdatedAt\" IS NULL");
        builder.SetNotNullOnline("Todos", "UpdatedAt");
        builder.CreateIndexConcurrently("IX_Todos_UpdatedAt", "Todos", ["UpdatedAt"]);

        Assert.Equal(10, builder.Operations.Count);
        Assert.All(builder.Operations, o => Assert.True(Assert.IsType<SqlOperation>(o).SuppressTransaction));
    }

    [Fact]
    public void Bad_arguments_are_refused_before_anything_is_written()
    {
        var builder = new MigrationBuilder(TestMigration.Provider);

        Assert.Throws<ArgumentOutOfRangeException>(() => builder.BackfillInBatches("Todos", "\"A\" = 1", "\"A\" IS NULL", batchSize: 0));
        Assert.Throws<ArgumentException>(() => builder.BackfillInBatches("Todos", " ", "\"A\" IS NULL"));
        Assert.Throws<ArgumentException>(() => builder.SetNotNullOnline("", "UpdatedAt"));
        Assert.Throws<ArgumentNullException>(() => builder.SetNotNullOnline("Todos", null!));
        Assert.Throws<ArgumentException>(() => builder.CreateIndexConcurrently("IX", "Todos", []));
        Assert.Throws<ArgumentException>(() => builder.CreateIndexConcurrently("IX", "Todos", ["Title", ""]));
        Assert.Throws<ArgumentNullException>(() => ((MigrationBuilder)null!).SetNotNullOnline("Todos", "UpdatedAt"));
        Assert.Empty(builder.Operations);
    }

    private static List<string> Statements(Action<MigrationBuilder> build)
    {
        var builder = new MigrationBuilder(TestMigration.Provider);
        build(builder);
        return [.. builder.Operations.Select(o => Assert.IsType<SqlOperation>(o).Sql)];
    }

    private static string IfThen(string condition, string statement) =>
        $"""
        DO $$
        BEGIN
            IF {condition} THEN
                {statement}
            END IF;
        END $$;
        """;
}
