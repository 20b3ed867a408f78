using Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace WebApp;

/// <summary>
/// Reads which of this build's migrations the database lacks, in one short transaction on one pooled connection. EF Core's
/// migrator holds <c>ACCESS EXCLUSIVE</c> on the history table for each migration's whole transaction, so the read waits
/// for that lock at most 500 ms and then fails (<see cref="IsHistoryLocked"/>) instead of queueing behind the migration.
/// </summary>
public sealed class MigrationHistoryReader(IServiceScopeFactory scopes)
{
    // Well below the probe's timeout (HealthChecks:Timeout), so a locked history leaves time for an answer.
    private const string SetLockTimeout = "SET LOCAL lock_timeout = '500ms'";

    private IReadOnlyList<string>? _buildMigrations;

    /// <summary>This build's migrations that the database has not applied, oldest first (empty: all applied).</summary>
    public async Task<IReadOnlyList<string>> ReadPendingAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        // The build's own migrations (EF Core's IMigrationsAssembly) never change while it runs: computed once.
        _buildMigrations ??= [.. db.Database.GetMigrations()];

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync(SetLockTimeout, cancellationToken);
        var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        await transaction.RollbackAsync(cancellationToken);

        // Migrations the build does not know (a newer release applied them) do not count: it serves their schema (expand/contract).
        return [.. _buildMigrations.Where(migration => !applied.Contains(migration))];
    }

    /// <summary>True when <paramref name="exception"/> says the read gave up waiting for a migration's lock (55P03).</summary>
    public static bool IsHistoryLocked(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable })
            {
                return true;
            }
        }

        return false;
    }
}
