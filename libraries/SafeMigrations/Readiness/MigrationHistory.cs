using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace SafeMigrations.Readiness;

/// <summary>
/// Reads a database's migrations history without queueing behind a migration. EF Core's migrator holds
/// <c>ACCESS EXCLUSIVE</c> on the history table for each migration's whole transaction, so a plain read would wait for it;
/// this one waits at most a short <c>lock_timeout</c>, then says the history is locked. The web app's readiness check and
/// the migration worker's fast path read it so.
/// </summary>
public static class MigrationHistory
{
    /// <summary>
    /// Reads the history of <paramref name="context"/>'s database in one short transaction (on the context's connection;
    /// opened and closed by EF Core unless open already), waiting for a lock on the history at most
    /// <paramref name="lockTimeout"/>. A database without a history table has nothing applied.
    /// </summary>
    /// <returns>The history against this build's migrations; null when a migration in progress held the history longer.</returns>
    public static async Task<MigrationHistoryState?> TryReadAsync(DbContext context, TimeSpan lockTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        IReadOnlyList<string> applied;
        await using (var transaction = await context.Database.BeginTransactionAsync(cancellationToken))
        {
            try
            {
                // Transaction-local (set_config's third argument): the session's own lock_timeout is back after the read.
                var milliseconds = ((long)Math.Ceiling(lockTimeout.TotalMilliseconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await context.Database.ExecuteSqlAsync($"SELECT set_config('lock_timeout', {milliseconds}, true)", cancellationToken);
                applied = [.. await context.Database.GetAppliedMigrationsAsync(cancellationToken)];
            }
            catch (Exception e) when (IsLockTimeout(e))
            {
                return null;
            }

            // Read only: nothing to keep. (Leaving the block any other way rolls back too.)
            await transaction.RollbackAsync(cancellationToken);
        }

        return MigrationHistoryState.Of(context.Database.GetMigrations(), applied);
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
