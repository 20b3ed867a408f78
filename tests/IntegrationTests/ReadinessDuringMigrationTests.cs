using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace IntegrationTests;

/// <summary>
/// Readiness while a migration holds the history table, as EF Core's migrator does for each migration's whole
/// transaction: a web app that has seen its migrations applied stays ready and serves, one that has not yet read the
/// history is not ready; and however many probes arrive, each process reads the history at most once per interval, on
/// one connection.
/// </summary>
/// <remarks>
/// The reads are counted by the server, not by the app: while the test holds the lock, every read of the history waits
/// for it (seen in <c>pg_locks</c>) and then fails on its <c>lock_timeout</c>, which PostgreSQL logs once per statement.
/// No worker runs meanwhile and only the probed web app reads the history, so every such line is one of its reads.
/// </remarks>
public sealed class ReadinessDuringMigrationTests(ReadinessGraph graph) : IClassFixture<ReadinessGraph>
{
    /// <summary>How long the test holds the history, as a long migration would.</summary>
    private static readonly TimeSpan LockHeld = TimeSpan.FromSeconds(20);

    private const int ConcurrentProbes = 200;

    private const string LockHistory = """LOCK TABLE "__EFMigrationsHistory" IN ACCESS EXCLUSIVE MODE""";

    /// <summary>What PostgreSQL logs for each statement that gave up waiting for a lock.</summary>
    private const string LockTimeoutLogged = "canceling statement due to lock timeout";

    /// <summary>Backends waiting for a lock on the history table, right now.</summary>
    private const string ReadsWaiting =
        """SELECT count(*)::int FROM pg_locks WHERE relation = '"__EFMigrationsHistory"'::regclass AND NOT granted""";

    [Fact]
    public async Task While_a_migration_holds_the_history_a_ready_app_answers_200_and_reads_it_at_most_once_per_interval()
    {
        var app = await graph.GetAsync();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = ConcurrentProbes + 10 })
        {
            BaseAddress = app.GetEndpoint("webapp", "http"),
            Timeout = TestDeadline.Timeout,
        };
        await AssertStatusAsync(http, "/health", HttpStatusCode.OK);
        var connectionString = (await app.GetConnectionStringAsync("appdb", TestContext.Current.CancellationToken))!;
        await using var observer = await Database.OpenAsync(connectionString, "readiness-observer");
        var loggedBefore = await LockTimeoutsLoggedAsync(app);

        var answers = new ConcurrentBag<(string Path, HttpStatusCode Status)>();
        int mostWaiting;
        TimeSpan held;
        await using (var migration = await Database.OpenAsync(app))
        {
            await using var transaction = await migration.BeginTransactionAsync(TestContext.Current.CancellationToken);
            await Database.ExecuteAsync(migration, LockHistory);
            var clock = Stopwatch.StartNew();
            using var stopSampling = new CancellationTokenSource();
            var sampling = MostReadsWaitingAsync(observer, stopSampling.Token);
            while (clock.Elapsed < LockHeld)
            {
                // A burst of probes, and the API beside them: none may wait for the migration.
                await Task.WhenAll([
                    .. Enumerable.Range(0, ConcurrentProbes).Select(_ => GetAsync(http, "/health", answers)),
                    GetAsync(http, "/api/todos?limit=5", answers),
                    GetAsync(http, "/", answers)]);
            }

            held = clock.Elapsed;
            await stopSampling.CancelAsync();
            mostWaiting = await sampling;
            await transaction.RollbackAsync(TestContext.Current.CancellationToken);
        }

        var reads = await SettledCountAsync(() => LockTimeoutsLoggedAsync(app)) - loggedBefore;
        // At most one read per interval (each answer is reused for an interval after it came) and one at the start.
        var mostReads = (int)Math.Ceiling(held / WebAppSettings.ReadinessInterval) + 1;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{answers.Count} answers in {held.TotalSeconds:0.0} s; history reads: {reads} (at most {mostReads}); most waiting at once: {mostWaiting}");

        Assert.All(answers, answer => Assert.True(answer.Status == HttpStatusCode.OK, $"{answer.Path}: {(int)answer.Status}"));
        Assert.True(answers.Count(a => a.Path == "/health") >= ConcurrentProbes * 2, $"{answers.Count} answers");
        // Reads did reach the locked table (so the count below is not zero for want of reads), one at a time.
        Assert.Equal(1, mostWaiting);
        Assert.InRange(reads, 2, mostReads);
    }

    [Fact]
    public async Task A_process_that_has_not_read_the_history_yet_is_not_ready_while_a_migration_holds_it()
    {
        var app = await graph.GetAsync();

        await using (var migration = await Database.OpenAsync(app))
        {
            await using var transaction = await migration.BeginTransactionAsync(TestContext.Current.CancellationToken);
            await Database.ExecuteAsync(migration, LockHistory);
            // A process that comes up now (a new replica, a restart) has no answer from before the migration to keep.
            await StartLateWebAppAsync(app);
            using var http = app.CreatePlainClient(ReadinessGraph.LateWebApp);

            var first = await Poll.UntilAsync(async cancellationToken =>
            {
                try
                {
                    using var response = await http.GetAsync("/health", cancellationToken);
                    return (HttpStatusCode?)response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    return null; // not listening yet
                }
            }, status => status is not null);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, first);
            // Still not ready after a fresh read (past the interval) while the lock is held; the API itself serves.
            await WebAppSettings.WaitOutReadinessAnswerAsync();
            await AssertStatusAsync(http, "/health", HttpStatusCode.ServiceUnavailable);
            await AssertStatusAsync(http, "/api/todos?limit=5", HttpStatusCode.OK);
            await transaction.RollbackAsync(TestContext.Current.CancellationToken);
        }

        // The migration is over: the next read finds this build's migrations applied.
        using var late = app.CreatePlainClient(ReadinessGraph.LateWebApp);
        await Poll.UntilAsync(async cancellationToken =>
        {
            using var response = await late.GetAsync("/health", cancellationToken);
            return response.StatusCode == HttpStatusCode.OK;
        });
    }

    private static async Task GetAsync(HttpClient http, string path, ConcurrentBag<(string, HttpStatusCode)> answers)
    {
        using var response = await http.GetAsync(path, TestContext.Current.CancellationToken);
        answers.Add((path, response.StatusCode));
    }

    private static async Task AssertStatusAsync(HttpClient http, string path, HttpStatusCode expected)
    {
        using var response = await http.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.True(expected == response.StatusCode, $"{path}: {(int)response.StatusCode}");
    }

    /// <summary>Samples <see cref="ReadsWaiting"/> until <paramref name="stop"/>; returns the most seen at once.</summary>
    private static async Task<int> MostReadsWaitingAsync(NpgsqlConnection observer, CancellationToken stop)
    {
        var most = 0;
        while (!stop.IsCancellationRequested)
        {
            most = Math.Max(most, (await Database.QueryAsync<int>(observer, ReadsWaiting)).Single());
            await Task.Delay(TimeSpan.FromMilliseconds(20), CancellationToken.None);
        }

        return most;
    }

    /// <summary>How many lock timeouts the server has logged so far (its console output, as Aspire collects it).</summary>
    private static async Task<int> LockTimeoutsLoggedAsync(DistributedApplication app) =>
        (await app.GetLogsAsync("postgres")).Split('\n').Count(line => line.Contains(LockTimeoutLogged, StringComparison.Ordinal));

    /// <summary>Asks <paramref name="count"/> until two answers a second apart agree: the server's log lines arrive late.</summary>
    private static async Task<int> SettledCountAsync(Func<Task<int>> count)
    {
        using var deadline = TestDeadline.Start();
        var previous = await count();
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), deadline.Token);
            var current = await count();
            if (current == previous)
            {
                return current;
            }

            previous = current;
        }
    }

    private static async Task StartLateWebAppAsync(DistributedApplication app)
    {
        using var deadline = TestDeadline.Start();
        var result = await app.Services.GetRequiredService<ResourceCommandService>()
            .ExecuteCommandAsync(ReadinessGraph.LateWebApp, KnownResourceCommands.StartCommand, deadline.Token);
        Assert.True(result.Success, $"Starting {ReadinessGraph.LateWebApp} failed: {result.Message}");
    }
}
