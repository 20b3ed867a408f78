using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace SafeMigrations.Worker;

/// <summary>
/// Decides whether a run has anything to do. Every new web app replica runs the worker; when every migration of its
/// build is applied with its recorded checksum and the role setup still holds, the run ends at once — without waiting
/// for the migration lock, which a long migration or rollback elsewhere may hold for minutes. Reads only.
/// </summary>
public sealed class FastPath(DatabaseRoles roles, MigrationGuards guards, IOptions<MigrationOptions> options)
{
    /// <summary>
    /// How long reading the history may wait for a lock. EF Core locks the history while it applies a migration, so a
    /// wait means a migration is in progress: not the fast path, and no point waiting here.
    /// </summary>
    public static readonly TimeSpan HistoryLockTimeout = TimeSpan.FromMilliseconds(200);

    private readonly MigrationOptions _options = options.Value;

    /// <summary>Reads what the database holds, on the context's open session, and says which path the run takes.</summary>
    /// <remarks>Leaves the session's <c>lock_timeout</c> at <see cref="HistoryLockTimeout"/>: the slow path sets its own limits.</remarks>
    public async Task<FastPathDecision> DecideAsync(DbContext context, string? targetId, CancellationToken cancellationToken)
    {
        if (targetId is not null)
        {
            return new([], $"a target migration was given ({targetId})");
        }

        if (_options.Repair)
        {
            return new([], "--repair was given");
        }

        List<string> applied;
        await SessionLimits.SetLockTimeoutAsync(context, HistoryLockTimeout, cancellationToken);
        try
        {
            applied = [.. await context.Database.GetAppliedMigrationsAsync(cancellationToken)];
        }
        catch (Exception e) when (LockWaitTimeoutException.IsLockTimeout(e))
        {
            return new([], "the migrations history is locked: a migration is in progress");
        }

        if (applied.Count == 0)
        {
            return new(applied, "the database is new");
        }

        var pending = context.Database.GetMigrations().Except(applied, StringComparer.OrdinalIgnoreCase).Count();
        if (pending > 0)
        {
            return new(applied, $"{pending} migration(s) pending");
        }

        var problem = await guards.ChecksumProblemAsync(context, applied, cancellationToken)
                      ?? await roles.CheckAsync(context, cancellationToken);
        return new(applied, problem);
    }
}

/// <param name="Applied">The migrations the history held (none when the run did not read it).</param>
/// <param name="SlowPathReason">Why the run must take the migration lock; null: it has nothing to do.</param>
public sealed record FastPathDecision(IReadOnlyList<string> Applied, string? SlowPathReason);
