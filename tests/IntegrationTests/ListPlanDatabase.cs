using SafeMigrations.Worker;

namespace IntegrationTests;

/// <summary>
/// A database of its own on the shared server, migrated to the latest by the worker and filled like the large list
/// (<see cref="LargeListGraph.Rows"/> to-dos), with fresh statistics, as autovacuum keeps them on a live server.
/// </summary>
public sealed class ListPlanDatabase(PostgresServer server) : LazyFixture<string>
{
    protected override async Task<string> StartAsync()
    {
        var db = await server.NewDatabaseAsync();
        var worker = await WorkerProcess.RunAsync(db);
        Assert.True(worker.ExitCode == ExitCodes.Success, worker.Output);
        await using var connection = await Database.OpenAsync(db, "test-setup");
        await Database.ExecuteAsync(connection, LargeListGraph.TopUpSql);
        await Database.ExecuteAsync(connection, """VACUUM ANALYZE "Todos" """);
        return db;
    }

    protected override ValueTask StopAsync(string db) => ValueTask.CompletedTask; // it goes with the server
}
