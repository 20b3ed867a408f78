using IntegrationTests;
using Npgsql;
using TestWorker;

namespace SafeMigrations.Worker.Tests;

/// <summary>
/// A worker of two contexts — the catalog, then the orders (tests/TestWorker) — on real PostgreSQL: on two databases,
/// and on one with a history each. Each context has its own history, checksums, lock and roles; they are migrated in
/// registration order, and a failure in one stops the run naming it.
/// </summary>
public sealed class SeveralContextsTests(PostgresServer server)
{
    private static readonly string[] Catalog = ["20260101000000_Initial", "20260102000000_AddPrice"];
    private static readonly string[] Orders = ["20260101000001_Initial", "20260103000000_AddShipping"];

    [Fact]
    public async Task Both_are_migrated_in_registration_order_each_with_its_history_and_checksums_and_the_catalog_seeded()
    {
        var (catalog, orders) = (await server.NewDatabaseAsync(), await server.NewDatabaseAsync());

        var result = await TestWorkerProcess.RunAsync(catalog, orders);

        Assert.True(result.ExitCode == ExitCodes.Success, result.Output);
        var summaries = TestWorkerProcess.Logged(result, "Information").Where(m => m.Contains("migration(s) applied,", StringComparison.Ordinal)).ToList();
        Assert.Equal(["CatalogContext: 2 migration(s) applied", "OrdersContext: 2 migration(s) applied"], summaries.Select(m => m[..m.IndexOf(',')]));
        Assert.Equal(Catalog, await TestWorkerProcess.HistoryAsync(catalog));
        Assert.Equal(Orders, await TestWorkerProcess.HistoryAsync(orders, OrdersContext.HistoryTable));
        Assert.Equal(Catalog, await TestWorkerProcess.QueryAsync<string>(catalog, """SELECT "MigrationId" FROM "__EFMigrationsChecksums" ORDER BY 1"""));
        Assert.Equal(Orders, await TestWorkerProcess.QueryAsync<string>(orders, """SELECT "MigrationId" FROM "__OrdersMigrationsChecksums" ORDER BY 1"""));
        Assert.Equal(CatalogContext.SampleProducts, await TestWorkerProcess.QueryAsync<string>(catalog, """SELECT "Name" FROM "Products" ORDER BY "Id" """));

        var again = await TestWorkerProcess.RunAsync(catalog, orders);

        Assert.True(again.ExitCode == ExitCodes.Success, again.Output);
        Assert.Equal(["CatalogContext", "OrdersContext"], NothingToDo(again));
    }

    [Fact]
    public async Task On_one_database_each_keeps_its_own_history_and_checksums_and_the_web_role_may_only_read_both_histories()
    {
        var database = await server.NewDatabaseAsync();
        var web = $"{new NpgsqlConnectionStringBuilder(database).Database}_web";

        var result = await TestWorkerProcess.RunAsync(database, database);

        Assert.True(result.ExitCode == ExitCodes.Success, result.Output);
        Assert.Equal(Catalog, await TestWorkerProcess.HistoryAsync(database));
        Assert.Equal(Orders, await TestWorkerProcess.HistoryAsync(database, OrdersContext.HistoryTable));
        Assert.Equal(Catalog, await TestWorkerProcess.QueryAsync<string>(database, """SELECT "MigrationId" FROM "__EFMigrationsChecksums" ORDER BY 1"""));
        Assert.Equal(Orders, await TestWorkerProcess.QueryAsync<string>(database, """SELECT "MigrationId" FROM "__OrdersMigrationsChecksums" ORDER BY 1"""));
        // The orders' role setup granted the web role rows on every table of the owner's, the catalog's history included:
        // it took back what it must not have on either context's tables.
        Assert.Equal(
            [
                "Orders select=true write=true", "Products select=true write=true",
                "__EFMigrationsChecksums select=false write=false", "__EFMigrationsHistory select=true write=false",
                "__OrdersMigrationsChecksums select=false write=false", "__OrdersMigrationsHistory select=true write=false",
            ],
            await TestWorkerProcess.QueryAsync<string>(database, $"""
                SELECT format('%s select=%s write=%s', c.relname, has_table_privilege('{web}', c.oid, 'SELECT')::text,
                              has_table_privilege('{web}', c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE')::text)
                FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND c.relname <> '__EFMigrationsLock'
                ORDER BY c.relname COLLATE "C"
                """));

        var again = await TestWorkerProcess.RunAsync(database, database);

        Assert.True(again.ExitCode == ExitCodes.Success, again.Output);
        Assert.Equal(["CatalogContext", "OrdersContext"], NothingToDo(again));
    }

    [Fact]
    public async Task A_failing_migration_in_the_second_leaves_the_first_migrated_and_exits_1_with_one_line_naming_it()
    {
        var (catalog, orders) = (await server.NewDatabaseAsync(), await server.NewDatabaseAsync());
        // What the orders' first migration creates, already there: it fails with 42P07.
        await TestWorkerProcess.ExecuteAsync(orders, """CREATE TABLE "Orders" ("Id" int)""");

        var result = await TestWorkerProcess.RunAsync(catalog, orders);

        Assert.Equal(ExitCodes.MigrationFailed, result.ExitCode);
        Assert.Equal(
            ["OrdersContext: Migration failed: 42P07: relation \"Orders\" already exists. Migrations that completed before it stay " +
             "applied; the failed one was rolled back. Fix the cause and run again."],
            TestWorkerProcess.Logged(result, "Error"));
        Assert.Equal(Catalog, await TestWorkerProcess.HistoryAsync(catalog));
        Assert.Empty(await TestWorkerProcess.HistoryAsync(orders, OrdersContext.HistoryTable));
    }

    [Fact]
    public async Task Context_picks_one_and_leaves_the_other_untouched()
    {
        var (catalog, orders) = (await server.NewDatabaseAsync(), await server.NewDatabaseAsync());

        var result = await TestWorkerProcess.RunAsync(catalog, orders, "--context", "orderscontext");

        Assert.True(result.ExitCode == ExitCodes.Success, result.Output);
        Assert.Equal(Orders, await TestWorkerProcess.HistoryAsync(orders, OrdersContext.HistoryTable));
        var missing = await Assert.ThrowsAsync<PostgresException>(() => TestWorkerProcess.QueryAsync<int>(catalog, "SELECT 1"));
        Assert.Equal(PostgresErrorCodes.InvalidCatalogName, missing.SqlState);
    }

    [Fact]
    public async Task A_target_moves_the_one_context_that_has_it_and_an_ambiguous_one_exits_2_naming_the_contexts()
    {
        var (catalog, orders) = (await server.NewDatabaseAsync(), await server.NewDatabaseAsync());
        Assert.Equal(ExitCodes.Success, (await TestWorkerProcess.RunAsync(catalog, orders)).ExitCode);

        var ambiguous = await TestWorkerProcess.RunAsync(catalog, orders, "--target", "Initial");

        Assert.Equal(ExitCodes.InvalidArguments, ambiguous.ExitCode);
        Assert.StartsWith("Ambiguous target migration 'Initial': CatalogContext and OrdersContext each have it; name one with --context <name>.",
            Assert.Single(TestWorkerProcess.Logged(ambiguous, "Error")));
        Assert.Equal(Catalog, await TestWorkerProcess.HistoryAsync(catalog));
        Assert.Equal(Orders, await TestWorkerProcess.HistoryAsync(orders, OrdersContext.HistoryTable));

        var down = await TestWorkerProcess.RunAsync(catalog, orders, "--target", "Initial", "--context", "OrdersContext");

        Assert.True(down.ExitCode == ExitCodes.Success, down.Output);
        Assert.Equal(Orders[..1], await TestWorkerProcess.HistoryAsync(orders, OrdersContext.HistoryTable));
        Assert.Equal(Catalog, await TestWorkerProcess.HistoryAsync(catalog));
    }

    [Fact]
    public async Task List_as_json_lists_both_contexts_in_registration_order()
    {
        var (catalog, orders) = (await server.NewDatabaseAsync(), await server.NewDatabaseAsync());
        Assert.Equal(ExitCodes.Success, (await TestWorkerProcess.RunAsync(catalog, orders, "--target", "AddShipping")).ExitCode);

        var list = await TestWorkerProcess.RunAsync(catalog, orders, "--list", "--json");

        Assert.Equal(ExitCodes.Success, list.ExitCode);
        string Migration(string id, string state) => $$"""{"id":"{{id}}","name":"{{MigrationId.Name(id)}}","state":"{{state}}"}""";
        Assert.Equal(
            $$"""{"contexts":[{"context":"CatalogContext","connectionName":"catalog","database":"{{DatabaseOf(catalog)}}","pendingModelChanges":false,"migrations":[""" +
            $"{Migration(Catalog[0], "pending")},{Migration(Catalog[1], "pending")}]}},"+
            $$"""{"context":"OrdersContext","connectionName":"orders","database":"{{DatabaseOf(orders)}}","pendingModelChanges":false,"migrations":[""" +
            $"{Migration(Orders[0], "applied")},{Migration(Orders[1], "applied")}]}}]}}\n",
            list.Stdout);
    }

    [Fact]
    public async Task List_names_the_context_whose_model_has_changes_without_a_migration_and_the_command_that_adds_one()
    {
        var (catalog, orders) = (await server.NewDatabaseAsync(), await server.NewDatabaseAsync());
        Assert.Equal(ExitCodes.Success, (await TestWorkerProcess.RunAsync(catalog, orders)).ExitCode);
        var unmigrated = new Dictionary<string, string> { [OrdersContext.UnmigratedEntitySetting.Replace(":", "__")] = "true" };

        var text = await TestWorkerProcess.RunAsync(catalog, orders, unmigrated, "--list");
        var json = await TestWorkerProcess.RunAsync(catalog, orders, unmigrated, "--list", "--json");
        var clean = await TestWorkerProcess.RunAsync(catalog, orders, "--list", "--json");

        Assert.True(text.ExitCode == ExitCodes.Success, text.Output);
        Assert.Equal(
            [
                "CatalogContext: 2 applied, 0 pending",
                "OrdersContext: 2 applied, 0 pending",
                "  [model] changes without a migration: add one with 'dotnet ef migrations add <Name> --context OrdersContext'",
            ],
            text.Stdout.Split('\n').Where(line => !line.StartsWith("  [applied]", StringComparison.Ordinal) && line.Length > 0));
        Assert.Equal([false, true], PendingModelChanges(json.Stdout));
        Assert.Equal([false, false], PendingModelChanges(clean.Stdout));
    }

    private static List<bool> PendingModelChanges(string listJson) =>
        [.. System.Text.Json.JsonDocument.Parse(listJson).RootElement.GetProperty("contexts").EnumerateArray().Select(c => c.GetProperty("pendingModelChanges").GetBoolean())];

    /// <summary>The contexts whose run took the fast path, in the order they ran.</summary>
    private static List<string> NothingToDo(ChildProcessResult result) =>
        [.. TestWorkerProcess.Logged(result, "Information").Where(m => m.Contains(": nothing to do, so the migration lock was not taken", StringComparison.Ordinal))
            .Select(m => m[..m.IndexOf(':')])];

    private static string DatabaseOf(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString).Database!;
}
