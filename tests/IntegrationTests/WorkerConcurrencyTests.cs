using Data;
using MigrationService;
using SafeMigrations.Worker;
using Npgsql;

namespace IntegrationTests;

/// <summary>Several workers started at once — replicas of a deployment, say — against one database.</summary>
public sealed class WorkerConcurrencyTests(PostgresServer server)
{
    private const int Workers = 4;
    private const long PauseLockKey = 4444;

    [Fact]
    public async Task Workers_wait_on_the_migration_lock_while_it_is_held_then_apply_each_migration_once_and_seed_once()
    {
        var db = await server.NewDatabaseAsync();
        // A database with its roles and the lock's table but no migration (the history empty: still a new database),
        // so the test can hold the workers' lock before they start.
        Assert.Equal(ExitCodes.Success, (await WorkerProcess.RunAsync(db, "--target", "0")).ExitCode);
        await using var holder = await Database.OpenAsync(db, "test-holder");
        await Database.ExecuteAsync(holder, $"""BEGIN; LOCK TABLE "{MigrationLock.TableName}" IN {MigrationLock.Mode} MODE""");
        // Watched from another session: inside a transaction, pg_stat_activity shows what it showed at its first read.
        await using var watcher = await Database.OpenAsync(db, "test-watcher");

        var workers = Enumerable.Range(0, Workers).Select(_ => WorkerProcess.Start(db, [])).ToList();
        try
        {
            // Every worker is seen asking for the lock: waiting, not racing (or done without it, which fails below).
            await Poll.UntilAsync(async _ => await FoundTheLockTakenAsync(watcher) == Workers || workers.All(w => w.HasExited));
            Assert.Equal(Workers, await FoundTheLockTakenAsync(watcher));
            Assert.Empty(await SchemaSnapshot.HistoryAsync(db));

            await Database.ExecuteAsync(holder, "COMMIT");
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
        Assert.Single(results, r => r.Output.Contains("AppDbContext: seed done"));
    }

    [Fact]
    public async Task A_worker_waiting_for_the_lock_does_not_hold_up_the_index_the_other_builds_concurrently()
    {
        // AddUpdatedAt pending: the worker that gets the lock backfills, then builds its index concurrently, which waits
        // for every session whose snapshot is older than its own — a waiting worker with one would deadlock with it.
        var db = await PrefilledDatabase.CreateAsync(server, rows: 1_000);
        await using var test = await Database.OpenAsync(db, "test");
        await using var pause = await BackfillPause.InstallAsync(db, "NEW.\"Id\" = 500", PauseLockKey);

        await using var first = WorkerProcess.Start(db, []);
        await Database.WaitUntilAsync(test, $"""
            SELECT count(*) = 1 FROM pg_stat_activity
            WHERE datname = current_database() AND application_name = '{SessionLimits.ApplicationName}' AND wait_event = 'advisory'
            """);
        await using var second = WorkerProcess.Start(db, []);
        await Poll.UntilAsync(async _ => await PollingForTheLockAsync(test) == 2 || second.HasExited);

        // The first worker's lock session, idle in its transaction: neither a snapshot nor a transaction id, so
        // nothing an index build waits for; the second asks with NOWAIT, so it never waits inside a statement.
        Assert.Equal(["xmin= xid="], await Database.QueryAsync<string>(test, $"""
            SELECT format('xmin=%s xid=%s', a.backend_xmin, a.backend_xid) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.relation = '"{MigrationLock.TableName}"'::regclass AND l.granted
            """));
        await pause.ReleaseAsync();
        var results = new[] { await first.WaitAsync(), await second.WaitAsync() };

        Assert.All(results, r => Assert.True(r.ExitCode == ExitCodes.Success, $"A worker exited {r.ExitCode}:\n{r.Output}"));
        Assert.Contains($"AppDbContext: {Migrations.Ids.Count - 2} migration(s) applied", results[0].Output);
        Assert.Contains("Another worker is migrating AppDbContext; waiting up to 600 s for it to finish", results[1].Output);
        Assert.Contains("AppDbContext: 0 migration(s) applied", results[1].Output);
        Assert.Equal([true], await Database.QueryAsync<bool>(test, """SELECT indisvalid FROM pg_index WHERE indexrelid = '"IX_Todos_UpdatedAt"'::regclass"""));
    }

    // A worker opens the lock's own session only to take the lock; while the test holds it, each such session is a
    // worker asking for it once a second (never blocking in LOCK TABLE: see MigrationLock).
    private static async Task<long> PollingForTheLockAsync(NpgsqlConnection connection) =>
        (await Database.QueryAsync<long>(connection, $"""
            SELECT count(*) FROM pg_stat_activity
            WHERE datname = current_database() AND application_name = '{LockSession}'
            """)).Single();

    // Counted once it has looked for the lock's holders (its last statement reads pg_locks) and so found the lock taken:
    // a session that has only connected may yet find it free once the test lets go, and never wait.
    private static async Task<long> FoundTheLockTakenAsync(NpgsqlConnection connection) =>
        (await Database.QueryAsync<long>(connection, $"""
            SELECT count(*) FROM pg_stat_activity
            WHERE datname = current_database() AND application_name = '{LockSession}' AND query LIKE '%FROM pg_locks l%'
            """)).Single();

    /// <summary>What the worker's lock session is called in <c>pg_stat_activity</c>.</summary>
    internal const string LockSession = SessionLimits.ApplicationName + MigrationLock.ApplicationNameSuffix;
}
