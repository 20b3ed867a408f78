using Microsoft.EntityFrameworkCore;
using SafeMigrations.Readiness;

namespace SafeMigrations.Worker;

/// <summary>
/// Decides whether a run has anything to do. Every new web app replica runs the worker; when every migration of its
/// build is applied with its recorded checksum and the role setup still holds, the run ends at once — without waiting
/// for the migration lock, which a long migration or rollback elsewhere may hold for minutes. Reads only.
/// </summary>
internal sealed class FastPath(DatabaseRoles roles, MigrationGuards guards, MigrationOptions options)
{
    /// <summary>
    /// How long reading the history may wait for a lock. EF Core locks the history while it applies a migration, so a
    /// wait means a migration is in progress: not the fast path, and no point waiting here.
    /// </summary>
    public static readonly TimeSpan HistoryLockTimeout = TimeSpan.FromMilliseconds(200);

    /// <summary>Reads what the database holds, on the context's open session, and says which path the run takes.</summary>
    public async Task<FastPathDecision> DecideAsync(DbContext context, WebLogin webLogin, string? targetId, CancellationToken cancellationToken)
    {
        if (targetId is not null)
        {
            return new(null, $"a target migration was given ({targetId})");
        }

        if (options.Repair)
        {
            return new(null, "--repair was given");
        }

        // The same read as the web app's readiness check: a short lock_timeout, so a migration in progress is seen, not waited for.
        if (await MigrationHistory.TryReadAsync(context, HistoryLockTimeout, cancellationToken) is not { } history)
        {
            return new(null, "the migrations history is locked: a migration is in progress");
        }

        if (history.Applied.Count == 0)
        {
            return new(history, "the database is new");
        }

        if (history.Pending.Count > 0)
        {
            return new(history, $"{history.Pending.Count} migration(s) pending");
        }

        var problem = await guards.ChecksumProblemAsync(context, history.Applied, cancellationToken)
                      ?? await roles.CheckAsync(context, webLogin, cancellationToken);
        return new(history, problem);
    }
}

/// <param name="History">What the history held (null when the run did not read it).</param>
/// <param name="SlowPathReason">Why the run must take the migration lock; null: it has nothing to do.</param>
internal sealed record FastPathDecision(MigrationHistoryState? History, string? SlowPathReason);
