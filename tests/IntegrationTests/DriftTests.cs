using Npgsql;
using SafeMigrations.Worker;

namespace IntegrationTests;

/// <summary>
/// <c>--drift</c> on real PostgreSQL, run standalone: the live schema against what the applied migrations build. A
/// freshly migrated database (and one migrated down) has none; a column added or an index dropped out of band, a changed
/// type or default, a hot-fix table and a grant too many are each one line, with exit 5; listed objects are ignored;
/// nothing is changed.
/// </summary>
public sealed class DriftTests(PostgresServer server)
{
    [Fact]
    public async Task A_migrated_database_has_no_drift_and_exits_0_also_after_migrating_down()
    {
        var db = await server.NewDatabaseAsync();
        Assert.Equal(ExitCodes.Success, (await WorkerProcess.RunAsync(db)).ExitCode);

        var latest = await WorkerProcess.RunAsync(db, "--drift");

        Assert.True(latest.ExitCode == ExitCodes.Success, latest.Output);
        Assert.Equal($"AppDbContext ({Name(db)}): no drift from the schema as of {Migrations.Ids[^1]}\n", latest.Output);

        // The comparison is with the applied migrations, not the latest: after a rollback, the older schema is the right one.
        Assert.Equal(ExitCodes.Success, (await WorkerProcess.RunAsync(db, "--target", Migrations.Names[0], "--allow-data-loss")).ExitCode);
        var older = await WorkerProcess.RunAsync(db, "--drift");
        Assert.True(older.ExitCode == ExitCodes.Success, older.Output);
        Assert.Equal($"AppDbContext ({Name(db)}): no drift from the schema as of {Migrations.Ids[0]}\n", older.Output);
    }

    [Fact]
    public async Task A_column_added_out_of_band_exits_5_naming_it_and_changes_nothing()
    {
        var db = await MigratedAsync();
        await ExecuteAsync(db, """ALTER TABLE "Todos" ADD COLUMN "Note" text""");
        var before = await SchemaSnapshot.TakeAsync(db);

        var result = await WorkerProcess.RunAsync(db, "--drift");

        Assert.Equal(ExitCodes.DriftFound, result.ExitCode);
        Assert.Equal(
            $"AppDbContext ({Name(db)}): 1 difference(s) from the schema as of {Migrations.Ids[^1]}\n" +
            "  Todos.Note: column not built by the migrations (text NULL)\n",
            result.Output);
        Assert.Equal(before, await SchemaSnapshot.TakeAsync(db));
    }

    [Fact]
    public async Task An_index_dropped_out_of_band_exits_5_naming_it()
    {
        var db = await MigratedAsync();
        await ExecuteAsync(db, """DROP INDEX "IX_Todos_UpdatedAt" """);

        var result = await WorkerProcess.RunAsync(db, "--drift");

        Assert.Equal(ExitCodes.DriftFound, result.ExitCode);
        Assert.Equal(
            $"AppDbContext ({Name(db)}): 1 difference(s) from the schema as of {Migrations.Ids[^1]}\n" +
            "  Todos.IX_Todos_UpdatedAt: index built by the migrations is missing (on (UpdatedAt))\n",
            result.Output);
    }

    [Fact]
    public async Task A_changed_type_default_and_nullability_a_hotfix_table_and_index_and_a_grant_too_many_are_one_line_each()
    {
        var db = await MigratedAsync();
        var web = $"{Name(db)}_web";
        await ExecuteAsync(db, $"""
            ALTER TABLE "Todos" ALTER COLUMN "Title" TYPE character varying(300);
            ALTER TABLE "Todos" ALTER COLUMN "CreatedAt" SET DEFAULT clock_timestamp();
            CREATE TABLE "Hotfix" ("Id" int);
            CREATE INDEX "IX_Todos_Hotfix" ON "Todos" (lower("Title"));
            GRANT TRUNCATE ON "Todos" TO "{web}"
            """);
        await ExecuteAsync(db, """UPDATE "Todos" SET "DueDate" = '2026-12-24'; ALTER TABLE "Todos" ALTER COLUMN "DueDate" SET NOT NULL""");

        var result = await WorkerProcess.RunAsync(db, "--drift");

        Assert.Equal(ExitCodes.DriftFound, result.ExitCode);
        Assert.Equal(
            [
                "  Todos.CreatedAt: column default is clock_timestamp(), the migrations say now()",
                "  Todos.DueDate: column is NOT NULL, the migrations say NULL",
                "  Todos.Title: column type is character varying(300), the migrations say character varying(200)",
                "  Todos.IX_Todos_Hotfix: index not built by the migrations (on (an expression))",
                "  Hotfix: table not built by the migrations (1 column(s))",
                $"  Todos: the web role {web} has TRUNCATE, more than the worker grants",
            ],
            result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1));
    }

    [Theory]
    [InlineData("Hotfix", "Todos.Note")]
    [InlineData("Hotfix", "Todos")]
    public async Task Objects_listed_in_Migrations_Drift_Ignore_are_not_reported(string first, string second)
    {
        var db = await MigratedAsync();
        await ExecuteAsync(db, """CREATE TABLE "Hotfix" ("Id" int); ALTER TABLE "Todos" ADD COLUMN "Note" text""");

        await using var worker = WorkerProcess.Start(db, ["--drift"],
            new Dictionary<string, string> { ["Migrations__Drift__Ignore__0"] = first, ["Migrations__Drift__Ignore__1"] = second });
        var result = await worker.WaitAsync();

        Assert.True(result.ExitCode == ExitCodes.Success, result.Output);
        Assert.Equal($"AppDbContext ({Name(db)}): no drift from the schema as of {Migrations.Ids[^1]}; 2 ignored (Migrations:Drift:Ignore)\n", result.Output);
    }

    [Fact]
    public async Task A_database_that_does_not_exist_has_no_drift_and_is_not_created()
    {
        var db = await server.NewDatabaseAsync();

        var result = await WorkerProcess.RunAsync(db, "--drift");

        Assert.True(result.ExitCode == ExitCodes.Success, result.Output);
        Assert.Equal($"AppDbContext ({Name(db)}): no drift from no migration applied\n", result.Output);
        await using var maintenance = await Database.OpenAsync(new NpgsqlConnectionStringBuilder(db) { Database = "postgres" }.ConnectionString, "drift-test");
        Assert.Equal([0L], await Database.QueryAsync<long>(maintenance, $"SELECT count(*) FROM pg_database WHERE datname = '{Name(db)}'"));
    }

    private async Task<string> MigratedAsync()
    {
        var db = await server.NewDatabaseAsync();
        var migrated = await WorkerProcess.RunAsync(db);
        Assert.True(migrated.ExitCode == ExitCodes.Success, migrated.Output);
        return db;
    }

    private static string Name(string db) => new NpgsqlConnectionStringBuilder(db).Database!;

    private static async Task ExecuteAsync(string db, string sql)
    {
        await using var connection = await Database.OpenAsync(db, "drift-test");
        await Database.ExecuteAsync(connection, sql);
    }
}
