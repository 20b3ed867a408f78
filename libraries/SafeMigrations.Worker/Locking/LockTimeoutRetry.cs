using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace SafeMigrations.Worker;

/// <summary>
/// Runs work of the worker's — one migration, or the role setup — on its open session, and runs it again when it hit
/// the session's <c>lock_timeout</c>: after a pause that doubles each time, until <see cref="MigrationOptions.LockRetries"/>
/// is spent. The work must roll back whole on a lock timeout (one transaction, as EF Core runs each migration).
/// </summary>
internal sealed class LockTimeoutRetry(MigrationOptions options, ILogger<LockTimeoutRetry> logger)
{
    /// <summary>Work the worker retries after a lock timeout.</summary>
    /// <param name="Description">What it is, for messages that start with the context's name: <c>migration 20261129094731_AddUpdatedAt</c>, say.</param>
    /// <param name="GivenUp">What the database is left with once the retries are spent, as a sentence without its full stop.</param>
    public sealed record Work(string Description, string GivenUp);

    /// <summary>
    /// Runs <paramref name="attempt"/> once it checked that <paramref name="migrationLock"/> is still held, with the
    /// session's limits set again (a failed online step may have left a setting of its own in force).
    /// </summary>
    /// <exception cref="LockWaitTimeoutException">Every attempt timed out; the message names the last holder seen.</exception>
    public async Task RunAsync(
        DbContext context, MigrationLock migrationLock, Work work, Func<CancellationToken, Task> attempt, CancellationToken cancellationToken)
    {
        var contextName = context.GetType().Name;
        for (var retry = 0; ; retry++)
        {
            await migrationLock.EnsureHeldAsync(context, cancellationToken);
            await SessionLimits.ApplyAsync(context, options, cancellationToken);
            var holders = await AttemptAsync(context, attempt, cancellationToken);
            if (holders is null)
            {
                return;
            }

            if (retry >= options.LockRetries)
            {
                throw new LockWaitTimeoutException(
                    $"A lock wait timed out: {contextName} {work.Description} waited longer than Migrations:LockTimeout " +
                    $"({options.LockTimeout.TotalSeconds:0.###} s) in each of {retry + 1} attempt(s), last for a lock {holders.Value.Described}. " +
                    $"{work.GivenUp}: end that session or run again later " +
                    "(Migrations:LockRetries and Migrations:LockRetryDelay set the budget).", holders.Value.Timeout);
            }

            var delay = options.LockRetryDelay * Math.Pow(2, retry);
            logger.LogWarning(
                "{Context}: {Step} waited longer than {LockTimeout} s for a lock {Holders}; rolled back, retry {Retry} of {Retries} in {Delay} s",
                contextName, work.Description, options.LockTimeout.TotalSeconds, holders.Value.Described, retry + 1, options.LockRetries,
                delay.TotalSeconds);
            await Task.Delay(delay, cancellationToken);
        }
    }

    /// <returns>Null when the attempt succeeded; when it hit the lock timeout, that error and who held the lock.</returns>
    private async Task<(string Described, Exception Timeout)?> AttemptAsync(
        DbContext context, Func<CancellationToken, Task> attempt, CancellationToken cancellationToken)
    {
        await using var blockers = LockBlockerObserver.Start(context, options.LockTimeout, logger);
        try
        {
            await attempt(cancellationToken);
            return null;
        }
        catch (Exception e) when (IsLockTimeout(e))
        {
            return (LockHolder.Describe(blockers.LastSeen), e);
        }
    }

    /// <summary>Whether <paramref name="exception"/> (or one it wraps) is PostgreSQL's <c>55P03 lock_not_available</c>.</summary>
    private static bool IsLockTimeout(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable })
            {
                return true;
            }
        }

        return false;
    }
}
