using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SafeMigrations.Readiness;

/// <summary>
/// Readiness: healthy when the database has every migration of this build, so the app takes no traffic on a schema that
/// is behind. The same read proves that the database answers. Registered with
/// <see cref="MigrationReadinessBuilderExtensions.AddMigrationReadiness{TContext}"/>.
/// </summary>
/// <remarks>
/// One instance per process (a singleton): an answer serves every probe for <see cref="MigrationReadinessOptions.ReadinessInterval"/>,
/// and probes that arrive while the history is being read share that one read, so readiness costs at most one short
/// transaction per interval on one connection, whatever the request rate. A probe waits for the read only as long as its
/// cancellation token allows (<c>HealthChecks:Timeout</c> in a solution's service defaults), however long a frozen
/// server keeps the read itself. A migration in progress (EF Core's lock on the history) leaves the last answer standing.
/// </remarks>
/// <typeparam name="TContext">The context whose migrations must be applied.</typeparam>
public sealed class PendingMigrationsHealthCheck<TContext>(
    IServiceScopeFactory scopes, IOptions<MigrationReadinessOptions> options, ILogger<PendingMigrationsHealthCheck<TContext>> logger) : IHealthCheck
    where TContext : DbContext
{
    private readonly Lock _gate = new();
    private readonly TimeSpan _interval = options.Value.ReadinessInterval;
    private HealthCheckResult? _answer;
    private long _answeredAt;
    private Task<HealthCheckResult>? _read;

    // What the history itself said last (all applied, or what is pending): kept while a migration holds the history table.
    // Written only by the one read in flight.
    private HealthCheckResult? _historyAnswer;

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_answer is { } answer && Stopwatch.GetElapsedTime(_answeredAt) < _interval)
            {
                return Task.FromResult(answer);
            }

            // Not tied to this probe's token: a probe that gives up leaves the read to the probes that come next.
            _read ??= Task.Run(ReadAndKeepAsync, CancellationToken.None);
            return _read.WaitAsync(cancellationToken);
        }
    }

    private async Task<HealthCheckResult> ReadAndKeepAsync()
    {
        var answer = await ReadAsync();
        lock (_gate)
        {
            _answer = answer;
            _answeredAt = Stopwatch.GetTimestamp();
            _read = null;
        }

        return answer;
    }

    private async Task<HealthCheckResult> ReadAsync()
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TContext>();
            // No token: the connection's own timeouts end a read on a server that does not answer.
            if (await MigrationHistory.TryReadAsync(db, MigrationReadiness.HistoryLockTimeout, CancellationToken.None) is not { } history)
            {
                // A migration in progress says nothing about this build's schema, which the previous answer still describes
                // (expand/contract: the newer schema serves this build too).
                return _historyAnswer is { } last
                    ? new HealthCheckResult(last.Status, $"{last.Description} A migration is in progress; this answer is from before it.")
                    : HealthCheckResult.Unhealthy("A migration is in progress and this process has not yet read the history.");
            }

            // Migrations the build does not know (a newer release applied them) do not count: it serves their schema.
            _historyAnswer = history.Pending.Count == 0
                ? HealthCheckResult.Healthy("No migration pending.")
                : HealthCheckResult.Unhealthy($"{history.Pending.Count} migration(s) pending: {string.Join(", ", history.Pending)}. Run the migration worker.");
            return _historyAnswer.Value;
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Readiness could not read the migration history.");
            return HealthCheckResult.Unhealthy(MigrationReadiness.NotAnswering);
        }
    }
}
