using Data;
using MigrationService;
using Npgsql;

namespace IntegrationTests;

/// <summary>Several workers started at once — replicas of a deployment, say — against one database.</summary>
public sealed class WorkerConcurrencyTests(PostgresServer server)
{
    private const int Workers = 4;

    [Fact]
    public async Task Workers_wait_on_the_migration_lock_while_it_is_held_then_apply_each_migration_once_and_seed_once()
    {
        var db = await server.NewDatabaseAsync();
        // An advisory lock belongs to one database: create it, so the test can hold the workers' lock before they start.
        await CreateDatabaseAsync(db);
        await using var holder = new NpgsqlConnection(db);
        await holder.OpenAsync(TestContext.Current.CancellationToken);
        await Database.ExecuteAsync(holder, $"SELECT pg_advisory_lock({MigrationLock.Key})");

        var workers = Enumerable.Range(0, Workers).Select(_ => WorkerProcess.Start(db, [])).ToList();
        try
        {
            // Every worker is seen asking for the lock: waiting, not racing (or done without it, which fails below).
            await Poll.UntilAsync(async _ => await PollingForTheLockAsync(holder) == Workers || workers.All(w => w.HasExited));
            Assert.Equal(Workers, await PollingForTheLockAsync(holder));
            Assert.Empty(await SchemaSnapshot.HistoryAsync(db));

            await Database.ExecuteAsync(holder, $"SELECT pg_advisory_unlock({MigrationLock.Key})");
            var results = await Task.WhenAll(workers.Select(w => w.WaitAsync()));

            Assert.All(results, r => Assert.True(r.ExitCode == ExitCodes.Success, $"A worker exited {r.ExitCode}:\n{r.Output}"));
            Assert.All(results, r => Assert.Contains("Another worker is migrating AppDbContext; waiting up to 600 s for it to finish", r.Output));
            await AssertEachMigrationOnceAndOneSeedAsync(db, results);
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.DisposeAsync();
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Four_workers_racing_on_a_new_database_apply_each_migration_once_seed_once_and_all_exit_0(int round)
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
        await AssertEachMigrationOnceAndOneSeedAsync(db, results);
    }

    private static async Task AssertEachMigrationOnceAndOneSeedAsync(string db, ChildProcessResult[] results)
    {
        Assert.Equal(Migrations.Names, await SchemaSnapshot.HistoryAsync(db));
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        Assert.Equal(AppDbSeeder.Titles, await Database.QueryAsync<string>(connection, """SELECT "Title" FROM "Todos" ORDER BY "Id" """));
        // Exactly one worker applied the migrations; the others found nothing to do.
        Assert.Single(results, r => r.Output.Contains($"{Migrations.Ids.Count} migration(s) applied"));
        Assert.Equal(Workers - 1, results.Count(r => r.Output.Contains("0 migration(s) applied")));
    }

    // A waiting worker polls (pg_try_advisory_lock) rather than blocking in pg_advisory_lock (see MigrationLock), so its
    // session's last statement is that poll until it gets the lock.
    private static async Task<long> PollingForTheLockAsync(NpgsqlConnection connection) =>
        (await Database.QueryAsync<long>(connection, """
            SELECT count(*) FROM pg_stat_activity
            WHERE datname = current_database() AND query LIKE '%pg_try_advisory_lock%' AND pid <> pg_backend_pid()
            """)).Single();

    private static async Task CreateDatabaseAsync(string db)
    {
        var target = new NpgsqlConnectionStringBuilder(db);
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db) { Database = "postgres" }.ConnectionString);
        await admin.OpenAsync(TestContext.Current.CancellationToken);
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{target.Database}\"", admin);
        await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
