using MigrationService;
using Npgsql;

namespace IntegrationTests;

/// <summary>Several workers started at once — replicas of a deployment, say — against one database that does not exist yet.</summary>
public sealed class WorkerConcurrencyTests(PostgresServer server)
{
    private const int Workers = 4;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Four_concurrent_workers_apply_each_migration_once_seed_once_and_all_exit_0(int round)
    {
        _ = round; // Each round is a fresh race: the failure this guards against showed in 4 of 7 runs without the lock.
        var db = await server.NewDatabaseAsync();

        var workers = Enumerable.Range(0, Workers).Select(_ => WorkerProcess.Start(db, [])).ToList();
        var results = await Task.WhenAll(workers.Select(w => w.WaitAsync()));
        foreach (var worker in workers)
        {
            await worker.DisposeAsync();
        }

        Assert.All(results, r => Assert.True(r.ExitCode == ExitCodes.Success, $"A worker exited {r.ExitCode}:\n{r.Output}"));
        Assert.Equal(["InitialSchema", "AddDueDate", "AddUpdatedAt"], await SchemaSnapshot.HistoryAsync(db));
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        Assert.Equal([3L], await Database.QueryAsync<long>(connection, """SELECT count(*) FROM "Todos" """));
        // Exactly one worker applied the migrations; the others found nothing to do.
        Assert.Single(results, r => r.Output.Contains("3 migration(s) applied"));
        Assert.Equal(Workers - 1, results.Count(r => r.Output.Contains("0 migration(s) applied")));
    }
}
