using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace MigrationService;

/// <summary>
/// The session-level advisory lock that serialises every worker on a database. EF Core's own migration lock (LOCK TABLE
/// on the history, per migration transaction) lets concurrent workers apply the same migration twice on Npgsql, so the
/// whole run — history read, migrations, seed — happens under this lock, on the connection that holds it.
/// </summary>
public static class MigrationLock
{
    /// <summary>The lock's key: "MIGRATE". In <c>pg_locks</c>: classid = the high 32 bits, objid = the low 32 bits, objsubid = 1.</summary>
    public const long Key = 0x4D49_4752_4154_45;

    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>Takes the lock on the context's open connection, waiting up to <paramref name="wait"/> for another worker.</summary>
    /// <exception cref="LockWaitTimeoutException">Another worker held it for longer; the message names that session.</exception>
    public static async Task AcquireAsync(DbContext context, TimeSpan wait, ILogger logger, CancellationToken cancellationToken)
    {
        if (await TryAcquireAsync(context, cancellationToken))
        {
            return;
        }

        // Polled rather than waited for in pg_advisory_lock: a statement that waits keeps its snapshot, and the other
        // worker's CREATE INDEX CONCURRENTLY waits for every older snapshot in the database — a deadlock (measured).
        var contextName = context.GetType().Name;
        logger.LogInformation("Another worker is migrating {Context}; waiting up to {Wait} s for it to finish", contextName, wait.TotalSeconds);
        var elapsed = Stopwatch.StartNew();
        while (!await TryAcquireAsync(context, cancellationToken))
        {
            if (elapsed.Elapsed >= wait)
            {
                var holders = await FindHoldersAsync(context, cancellationToken);
                throw new LockWaitTimeoutException(
                    $"A lock wait timed out: another worker held the migration lock of {contextName} for longer than " +
                    $"Migrations:AdvisoryLockTimeout ({wait.TotalSeconds:0.###} s), waiting for a lock {LockHolder.Describe(holders)}. " +
                    "Nothing was changed: run again once that worker has finished.");
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// <summary>Releases the lock. Not cancellable: it must run after a cancellation too; a connection already gone took the lock with it.</summary>
    public static async Task ReleaseAsync(DbContext context, ILogger logger)
    {
        try
        {
            await context.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({Key})", CancellationToken.None);
        }
        catch (Exception e)
        {
            // The connection is gone (and with it the session's lock); the original failure is what matters.
            logger.LogDebug(e, "Could not release the migration lock of {Context}", context.GetType().Name);
        }
    }

    // A plain command rather than EF Core's SqlQuery, which compiles a LINQ query for one boolean: the first try took
    // 0.2–0.5 s of a no-op run's start-up, now 0.05 s (measured).
    private static async Task<bool> TryAcquireAsync(DbContext context, CancellationToken cancellationToken)
    {
        await using var command = context.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"SELECT pg_try_advisory_lock({Key})";
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<IReadOnlyList<LockHolder>> FindHoldersAsync(DbContext context, CancellationToken cancellationToken)
    {
        await using var command = context.Database.GetDbConnection().CreateCommand();
        command.CommandText =
            $"""
            SELECT {LockHolder.Columns}
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND l.classid::bigint = {Key >> 32} AND l.objid::bigint = {Key & 0xFFFF_FFFF}
            """;
        return await LockHolder.ReadAllAsync(command, cancellationToken);
    }
}
