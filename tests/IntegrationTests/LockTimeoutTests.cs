using System.Text.RegularExpressions;
using SafeMigrations.Worker;
using Npgsql;

namespace IntegrationTests;

/// <summary>
/// The lock queue: a session keeps a transaction open on <c>Todos</c> while the worker's migration needs ACCESS
/// EXCLUSIVE on it. Without a lock timeout, every query of the app would queue behind the migration until that session
/// ended. With it, the migration gives up after <c>Migrations:LockTimeout</c>, lets the queue through, and retries.
/// </summary>
public sealed class LockTimeoutTests(PostgresServer server)
{
    internal const string Blocker = "lock-test-blocker";

    // Reads may wait for one lock timeout; the margin is for a loaded machine. The blocker holds its lock for much
    // longer than this bound, so reads that queued behind the migration until it ended would exceed it.
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ReadBound = LockTimeout + TimeSpan.FromSeconds(5);
    private static readonly TimeSpan BlockerHold = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Blocker_that_commits_within_the_budget_delays_the_migration_never_the_readers()
    {
        var db = await PrefilledDatabase.CreateAsync(server, rows: 1_000);
        await using var test = await Database.OpenAsync(db, "test");
        await using var blocker = await OpenBlockerAsync(db);
        await using var readers = await StartReadersAsync(db);

        // Retries at about 2, 5, 10, 19 and 36 s: the blocker, gone after about 15 s, is outlasted.
        await using var worker = StartWorker(db, retries: 5, retryDelay: TimeSpan.FromSeconds(1));
        await Database.WaitUntilAsync(test, WorkerWaitsForALock);
        await Task.Delay(BlockerHold, TestContext.Current.CancellationToken);
        await Database.ExecuteAsync(blocker, "COMMIT");
        var result = await worker.WaitAsync();
        await readers.StopAsync();

        Assert.True(result.ExitCode == ExitCodes.Success, result.Output);
        Assert.Matches(@"migration \d+_AddUpdatedAt waited longer than 1 s for a lock held by pid \d+ \(application 'lock-test-blocker', idle in transaction, transaction open \d+ s\); rolled back, retry 1 of 5 in 1 s", result.Output);
        Assert.Equal(Migrations.Names, await SchemaSnapshot.HistoryAsync(db));
        AssertReadersNeverWaitedLong(readers);
    }

    [Fact]
    public async Task Blocker_that_outlasts_the_budget_makes_the_worker_exit_1_naming_it_and_readers_never_wait_long()
    {
        var db = await PrefilledDatabase.CreateAsync(server, rows: 1_000);
        await using var test = await Database.OpenAsync(db, "test");
        await using var blocker = await OpenBlockerAsync(db);
        var blockerPid = blocker.ProcessID;
        var before = await SchemaSnapshot.TakeAsync(db);
        await using var readers = await StartReadersAsync(db);

        var result = await RunWorkerWhileBlockerOutlastsTheBudgetAsync(db, test, blocker, readers);

        Assert.True(result.ExitCode == ExitCodes.MigrationFailed, result.Output);
        var line = Assert.Single(Regex.Matches(result.Output, "^.*A lock wait timed out.*$", RegexOptions.Multiline)).Value.Trim();
        Assert.Matches(
            $@"^A lock wait timed out: AppDbContext migration \d+_AddUpdatedAt waited longer than Migrations:LockTimeout \(1 s\) in each of 3 attempt\(s\), " +
            $@"last for a lock held by pid {blockerPid} \(application '{Blocker}', idle in transaction, transaction open \d+ s\)\. " +
            @"The migration was rolled back and earlier ones stay applied: end that session or run again later \(Migrations:LockRetries and Migrations:LockRetryDelay set the budget\)\.$",
            line);
        Assert.DoesNotContain(new NpgsqlConnectionStringBuilder(db).Password!, result.Output);
        Assert.Equal(before, await SchemaSnapshot.TakeAsync(db));
        AssertReadersNeverWaitedLong(readers);
    }

    [Fact]
    public async Task Another_worker_holding_the_migration_lock_past_AdvisoryLockTimeout_makes_the_worker_exit_1_naming_it()
    {
        var db = await PrefilledDatabase.CreateAsync(server, rows: 10);
        var before = await SchemaSnapshot.TakeAsync(db);
        await using var otherWorker = await Database.OpenAsync(db, "other-worker");
        // The workers' lock, held as a running worker holds it: in an open transaction.
        await Database.ExecuteAsync(otherWorker, $"""BEGIN; LOCK TABLE "{MigrationLock.TableName}" IN {MigrationLock.Mode} MODE""");

        var result = await WorkerProcess.Start(db, [], new Dictionary<string, string>
        {
            ["Migrations__AdvisoryLockTimeout"] = "00:00:03",
        }).WaitAsync();

        Assert.True(result.ExitCode == ExitCodes.MigrationFailed, result.Output);
        var line = Assert.Single(Regex.Matches(result.Output, "^.*A lock wait timed out.*$", RegexOptions.Multiline)).Value.Trim();
        Assert.Matches(
            @"^A lock wait timed out: another worker held the migration lock of AppDbContext for longer than Migrations:AdvisoryLockTimeout \(3 s\), " +
            $@"waiting for a lock held by pid {otherWorker.ProcessID} \(application 'other-worker', idle in transaction, transaction open \d+ s\)\. " +
            @"Nothing was changed: run again once that worker has finished\.$",
            line);
        Assert.Equal(before, await SchemaSnapshot.TakeAsync(db));
    }

    internal const string WorkerWaitsForALock =
        $"""
        SELECT count(*) > 0 FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = '{SessionLimits.ApplicationName}' AND wait_event_type = 'Lock'
        """;

    /// <summary>A session that read <c>Todos</c> in a transaction it keeps open: ACCESS SHARE, which blocks ACCESS EXCLUSIVE.</summary>
    internal static async Task<NpgsqlConnection> OpenBlockerAsync(string db)
    {
        var blocker = await Database.OpenAsync(db, Blocker);
        await Database.ExecuteAsync(blocker, """BEGIN; SELECT count(*) FROM "Todos" """);
        return blocker;
    }

    /// <summary>
    /// Runs the worker with a budget of three attempts and two pauses (about 4.5 s) while <paramref name="blocker"/>
    /// holds its lock, from the worker's first wait, for much longer; then the blocker gives up even if the worker still
    /// waits (as it would without a lock timeout). The readers are stopped once the worker has exited.
    /// </summary>
    internal static async Task<ChildProcessResult> RunWorkerWhileBlockerOutlastsTheBudgetAsync(
        string db, NpgsqlConnection test, NpgsqlConnection blocker, StatementLoop readers)
    {
        await using var worker = StartWorker(db, retries: 2, retryDelay: TimeSpan.FromMilliseconds(500));
        var exited = worker.WaitAsync();
        await Task.WhenAny(exited, Database.WaitUntilAsync(test, WorkerWaitsForALock));
        await Task.WhenAny(exited, Task.Delay(BlockerHold, TestContext.Current.CancellationToken));
        await Database.ExecuteAsync(blocker, "ROLLBACK");
        var result = await exited;
        await readers.StopAsync();
        return result;
    }

    internal static Task<StatementLoop> StartReadersAsync(string db) =>
        StatementLoop.StartAsync(db, "lock-test-reader", _ => """SELECT count(*) FROM "Todos" """);

    internal static ChildProcess StartWorker(string db, int retries, TimeSpan retryDelay) =>
        WorkerProcess.Start(db, [], new Dictionary<string, string>
        {
            ["Migrations__LockTimeout"] = LockTimeout.ToString("c"),
            ["Migrations__LockRetries"] = retries.ToString(),
            ["Migrations__LockRetryDelay"] = retryDelay.ToString("c"),
        });

    internal static void AssertReadersNeverWaitedLong(StatementLoop readers)
    {
        TestContext.Current.TestOutputHelper?.WriteLine($"{readers.Completed} reads, longest {readers.LongestWait.TotalMilliseconds:0} ms.");
        Assert.Empty(readers.Errors);
        Assert.True(readers.Completed > 0, "The readers completed no read.");
        Assert.True(readers.LongestWait <= ReadBound,
            $"A read waited {readers.LongestWait.TotalSeconds:0.0} s, more than the lock timeout plus margin ({ReadBound.TotalSeconds} s).");
    }
}
