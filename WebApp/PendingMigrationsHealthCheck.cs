using Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WebApp;

/// <summary>
/// Readiness: unhealthy while the database lacks a migration this build knows, so the app takes no traffic on a schema
/// that is behind. The AppHost's <c>WaitForCompletion</c> gives that order locally; in the cloud nothing waits, so this
/// check is what holds requests back until the migration worker has run.
/// </summary>
public sealed class PendingMigrationsHealthCheck(AppDbContext db) : IHealthCheck
{
    /// <summary>The name the check is registered under (and shown in Development).</summary>
    public const string Name = "pending-migrations";

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        return pending.Count == 0
            ? HealthCheckResult.Healthy("No migration pending.")
            : new HealthCheckResult(context.Registration.FailureStatus,
                $"{pending.Count} migration(s) pending: {string.Join(", ", pending)}. Run the migration worker.");
    }
}
