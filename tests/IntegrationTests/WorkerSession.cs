using SafeMigrations.Worker;
using Npgsql;

namespace IntegrationTests;

/// <summary>
/// The worker's session as a test sees it in <c>pg_stat_activity</c>, and a worker caught waiting in one of the online
/// index steps, which must outwait the lock timeout, then interrupted as a crash or an operator would.
/// </summary>
public static class WorkerSession
{
    /// <summary>The worker's session while it runs a statement (a query's FROM and WHERE).</summary>
    public const string Running =
        $"FROM pg_stat_activity WHERE datname = current_database() AND application_name = '{SessionLimits.ApplicationName}' AND state = 'active'";

    /// <summary>No session of a worker is left (a killed worker's session ends once the server notices).</summary>
    public const string Gone =
        $"SELECT count(*) = 0 FROM pg_stat_activity WHERE datname = current_database() AND application_name = '{SessionLimits.ApplicationName}'";

    /// <summary>
    /// Runs the worker on <paramref name="db"/> with a lock timeout of 1 s until it waits for a lock in the statement
    /// that starts with <paramref name="statement"/> (held up by <paramref name="blocker"/>'s open transaction); runs
    /// <paramref name="meanwhile"/>; checks that three lock timeouts later the same statement still waits; then kills
    /// the worker and the orphaned statement, ends the blocker's transaction and waits until the worker's sessions are gone.
    /// </summary>
    public static async Task InterruptWhileItOutwaitsTheLockTimeoutAsync(
        string db, NpgsqlConnection test, NpgsqlConnection blocker, string statement, Func<Task>? meanwhile = null)
    {
        await using (var worker = WorkerProcess.Start(db, [], new Dictionary<string, string> { ["Migrations__LockTimeout"] = "00:00:01" }))
        {
            var waiting = $"{Running} AND wait_event_type = 'Lock' AND query LIKE '{statement}%'";
            await Database.WaitUntilAsync(test, $"SELECT count(*) = 1 {waiting}");
            var waitStarted = await Database.QueryAsync<DateTime>(test, $"SELECT query_start {waiting}");
            if (meanwhile is not null)
            {
                await meanwhile();
            }

            // Three lock timeouts later it still waits, the same statement: its waits are not cut by lock_timeout.
            await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
            Assert.Equal(waitStarted, await Database.QueryAsync<DateTime>(test, $"SELECT query_start {waiting}"));

            worker.Kill();
            await worker.WaitAsync();
        }

        // Interrupt the orphaned statement too, as a server restart or an operator would.
        await Database.ExecuteAsync(test, $"SELECT pg_terminate_backend(pid) {Running}");
        await Database.ExecuteAsync(blocker, "ROLLBACK");
        await Database.WaitUntilAsync(test, Gone);
    }
}
