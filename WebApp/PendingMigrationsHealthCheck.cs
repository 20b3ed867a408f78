using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WebApp;

/// <summary>
/// Readiness: healthy when the database has every migration of this build, so the app takes no traffic on a schema that
/// is behind. The AppHost's <c>WaitForCompletion</c> gives that order locally; in the cloud nothing waits, so this check is
/// what holds requests back until the migration worker has run. The same read proves that the database answers.
/// </summary>
/// <remarks>
/// One instance per process (a singleton): an answer serves every probe for <see cref="ReadinessSettings.ReadinessInterval"/>,
/// and probes that arrive while the history is being read share that one read, so readiness costs at most one short
/// transaction per interval on one connection, whatever the request rate. A probe waits for the read only as long as its
/// cancellation token allows (<c>HealthChecks:Timeout</c>), however long a frozen server keeps the read itself.
/// </remarks>
public sealed partial class PendingMigrationsHealthCheck(
    MigrationHistoryReader history, ReadinessSettings settings, ILogger<PendingMigrationsHealthCheck> logger) : IHealthCheck
{
    /// <summary>The name the check is registered under (and shown in Development).</summary>
    public const string Name = "pending-migrations";

    /// <summary>The description while the database does not answer (the exception goes to the log, not to the report).</summary>
    public const string NotAnswering = "The database is not answering.";

    private readonly Lock _gate = new();
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
            if (_answer is { } answer && Stopwatch.GetElapsedTime(_answeredAt) < settings.ReadinessInterval)
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
            // No token: Npgsql's own timeouts (WebApp's Database section) end a read on a server that does not answer.
            var pending = await history.ReadPendingAsync(CancellationToken.None);
            _historyAnswer = pending.Count == 0
                ? HealthCheckResult.Healthy("No migration pending.")
                : HealthCheckResult.Unhealthy($"{pending.Count} migration(s) pending: {string.Join(", ", pending)}. Run the migration worker.");
            return _historyAnswer.Value;
        }
        catch (Exception exception) when (MigrationHistoryReader.IsHistoryLocked(exception))
        {
            // A migration in progress says nothing about this build's schema, which the previous answer still describes
            // (expand/contract: the newer schema serves this build too).
            return _historyAnswer is { } last
                ? new HealthCheckResult(last.Status, $"{last.Description} A migration is in progress; this answer is from before it.")
                : HealthCheckResult.Unhealthy("A migration is in progress and this process has not yet read the history.");
        }
        catch (Exception exception)
        {
            LogReadFailed(logger, exception);
            return HealthCheckResult.Unhealthy(NotAnswering);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Readiness could not read the migration history.")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);
}
