using Npgsql;
using SafeMigrations.Worker;

namespace IntegrationTests;

/// <summary>
/// <c>--plan</c> and the lock budget (<c>Migrations:MaxLockedTime</c>) on real PostgreSQL, run standalone, on a
/// database at the first migration with 1 000 000 to-dos: the plan names the table, its rows and the lock of a plain
/// <c>CREATE INDEX</c> and of the online form, and changes nothing; a migrate over the budget (here 2 s) is refused with
/// exit 2 and one line, and changes nothing.
/// </summary>
public sealed class PlanTests(PostgresServer server)
{
    private const int Rows = 1_000_000;

    [Fact]
    public async Task Plan_names_table_rows_and_lock_for_a_plain_and_an_online_index_and_a_migrate_over_the_budget_is_refused()
    {
        var db = await server.NewDatabaseAsync();
        Assert.Equal(ExitCodes.Success, (await WorkerProcess.RunAsync(db, "--target", Migrations.Names[0])).ExitCode);
        await ExecuteAsync(db, $"""INSERT INTO "Todos" ("Title", "IsDone") SELECT 'to-do ' || n, n % 2 = 0 FROM generate_series(1, {Rows}) n""");
        // VACUUM counts every row: reltuples exact, so the estimates below are too.
        await ExecuteAsync(db, """VACUUM ANALYZE "Todos" """);
        var before = await SchemaSnapshot.TakeAsync(db);

        var plan = await WorkerProcess.RunAsync(db, "--plan");

        Assert.True(plan.ExitCode == ExitCodes.Success, plan.Output);
        var lines = plan.Output.Split('\n');
        Assert.Equal($"AppDbContext ({Name(db)}): {Migrations.Ids.Count - 1} pending migration(s); lock budget (Migrations:MaxLockedTime) 10 s", lines[0]);
        Assert.Equal("  AddDueDate: blocks the app for an estimated 3.83 s: within the budget", lines[1]);
        Assert.Single(lines, line => line.StartsWith($"    CreateIndex on Todos: SHARE (blocks writes), builds an index; {Rows} rows, ", StringComparison.Ordinal)
            && line.EndsWith(": ~0.5 s", StringComparison.Ordinal));
        Assert.Single(lines, line => line.StartsWith("    CREATE INDEX CONCURRENTLY IF NOT EXISTS \"IX_Todos_IsDone_DueDate_Id\" ON … on Todos: " +
            $"SHARE UPDATE EXCLUSIVE (blocks neither reads nor writes), builds an index; {Rows} rows, ", StringComparison.Ordinal));
        Assert.Contains("  CoverListOrder: blocks the app for an estimated 0 s: within the budget", lines);
        Assert.Equal(before, await SchemaSnapshot.TakeAsync(db));

        // A budget below the estimate: refused before anything moves.
        await using var tight = WorkerProcess.Start(db, [], new Dictionary<string, string> { ["Migrations__MaxLockedTime"] = "00:00:02" });
        var refused = await tight.WaitAsync();

        Assert.Equal(ExitCodes.InvalidArguments, refused.ExitCode);
        Assert.Equal(
            [$"Refusing to migrate: AddDueDate: ACCESS EXCLUSIVE on Todos ({Rows} rows) for an estimated 3.83 s, over the 2 s budget. " +
             "Nothing was migrated. Use the online form (CreateIndexConcurrently, BackfillInBatches, SetNotNullOnline), or mark the " +
             "migration [LockTimeReviewed(\"why\")], or raise Migrations:MaxLockedTime."],
            WorkerProcess.LoggedErrors(refused.Output));
        Assert.Equal(before, await SchemaSnapshot.TakeAsync(db));

        // A larger budget lets it through: the plan's verdict says so, as JSON for tools.
        await using var generous = WorkerProcess.Start(db, ["--plan", "--json"], new Dictionary<string, string> { ["Migrations__MaxLockedTime"] = "00:01:00" });
        var json = await generous.WaitAsync();
        Assert.True(json.ExitCode == ExitCodes.Success, json.Output);
        using var document = System.Text.Json.JsonDocument.Parse(json.Output);
        var addDueDate = document.RootElement.GetProperty("contexts")[0].GetProperty("migrations")[0];
        Assert.Equal(("AddDueDate", "ok", 3.833), (addDueDate.GetProperty("name").GetString(), addDueDate.GetProperty("verdict").GetString(),
            addDueDate.GetProperty("blockedSeconds").GetDouble()));
    }

    [Fact]
    public async Task A_negative_budget_is_refused_with_exit_2_naming_the_key()
    {
        await using var worker = WorkerProcess.Start(await server.NewDatabaseAsync(), ["--plan"],
            new Dictionary<string, string> { ["Migrations__MaxLockedTime"] = "-00:00:01" });
        var result = await worker.WaitAsync();

        Assert.Equal(ExitCodes.InvalidArguments, result.ExitCode);
        Assert.Contains("Migrations:MaxLockedTime must be a duration of zero (no budget) or more", result.Output);
    }

    private static string Name(string db) => new NpgsqlConnectionStringBuilder(db).Database!;

    private static async Task ExecuteAsync(string db, string sql)
    {
        await using var connection = await Database.OpenAsync(db, "plan-test");
        await Database.ExecuteAsync(connection, sql);
    }
}
