using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SafeMigrations.Worker;

/// <summary>Runs the requested command over every registered context and turns the outcome into an exit code.</summary>
public sealed class MigrationRunner(
    IEnumerable<IDbContextMigrator> migrators,
    IOptions<MigrationOptions> options,
    TextWriter output,
    ILogger<MigrationRunner> logger)
{
    private readonly MigrationOptions _options = options.Value;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        using var activity = MigrationTelemetry.Source.StartActivity("migrations");
        try
        {
            if (_options.List)
            {
                await ListAsync(cancellationToken);
            }
            else if (_options.Script)
            {
                await ScriptAsync(cancellationToken);
            }
            else if (_options.Repair && !string.IsNullOrWhiteSpace(_options.Target))
            {
                logger.LogError("Migrations:Repair migrates nothing, so it takes no target: run it alone, then migrate.");
                return Fail(activity, ExitCodes.InvalidArguments);
            }
            else if (ResolveTargets() is { } targets)
            {
                foreach (var (migrator, targetId) in targets)
                {
                    await migrator.MigrateAsync(targetId, cancellationToken);
                }
            }
            else
            {
                return Fail(activity, ExitCodes.InvalidArguments);
            }

            return ExitCodes.Success;
        }
        catch (Exception e) when (e is HistoryCheckException or DataLossRefusedException)
        {
            // A guard's refusal: its message names the migrations and the way out; nothing was changed.
            logger.LogError("{Message}", e.Message);
            return Fail(activity, e is HistoryCheckException ? ExitCodes.HistoryCheckFailed : ExitCodes.InvalidArguments, e);
        }
        catch (DatabaseUnreachableException e)
        {
            logger.LogError("{Message} Check that the server runs and the connection string 'appdb' points at it.", e.Message);
            return Fail(activity, ExitCodes.DatabaseUnreachable, e);
        }
        catch (LockWaitTimeoutException e)
        {
            // Already the whole story: what waited, for how long, and who held the lock.
            logger.LogError("{Message}", e.Message);
            return Fail(activity, ExitCodes.MigrationFailed, e);
        }
        catch (RoleSetupException e)
        {
            logger.LogError("{Message} Nothing was migrated.", e.Message);
            return Fail(activity, ExitCodes.InvalidArguments, e);
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogError("Stopped before finishing; a migration in progress was rolled back. Run again to complete.");
            return Fail(activity, ExitCodes.MigrationFailed, e);
        }
        catch (Exception e)
        {
            logger.LogError(
                "Migration failed: {Reason}. Migrations that completed before it stay applied; the failed one was rolled back. Fix the cause and run again.",
                e.Message.TrimEnd('.'));
            return Fail(activity, ExitCodes.MigrationFailed, e);
        }
    }

    /// <summary>Checks the target against every context before any of them is touched.</summary>
    private List<(IDbContextMigrator Migrator, string? TargetId)>? ResolveTargets()
    {
        var target = string.IsNullOrWhiteSpace(_options.Target) ? null : _options.Target.Trim();
        var resolved = new List<(IDbContextMigrator, string?)>();
        foreach (var migrator in migrators)
        {
            if (target is null)
            {
                resolved.Add((migrator, null));
                continue;
            }

            if (migrator.ResolveTarget(target) is not { } targetId)
            {
                logger.LogError(
                    "Unknown target migration '{Target}' for {Context}. Valid targets: 0 (revert all), {Valid}.",
                    target, migrator.ContextName, string.Join(", ", migrator.KnownMigrations));
                return null;
            }

            resolved.Add((migrator, targetId));
        }

        return resolved;
    }

    private async Task ListAsync(CancellationToken cancellationToken)
    {
        if (_options.Json)
        {
            await ListAsJsonAsync(cancellationToken);
            return;
        }

        foreach (var migrator in migrators)
        {
            var status = await migrator.GetStatusAsync(cancellationToken);
            await output.WriteLineAsync($"{migrator.ContextName}: {status.Applied.Count} applied, {status.Pending.Count} pending");
            foreach (var id in status.Applied)
            {
                await output.WriteLineAsync($"  [applied] {id}{(status.Unknown.Contains(id) ? " (not in this build)" : "")}");
            }

            foreach (var id in status.Pending)
            {
                await output.WriteLineAsync($"  [pending] {id}");
            }
        }
    }

    /// <summary>
    /// The list as one JSON document on one line (docs/worker.md, "For tools"): every migration of each context, oldest
    /// first, <c>applied</c>, <c>pending</c>, or <c>unknown</c> (applied, but not in this build).
    /// </summary>
    private async Task ListAsJsonAsync(CancellationToken cancellationToken)
    {
        var contexts = new List<object>();
        foreach (var migrator in migrators)
        {
            var status = await migrator.GetStatusAsync(cancellationToken);
            var migrations = status.Applied.Concat(status.Pending).Order(StringComparer.Ordinal).Select(id => new
            {
                id,
                name = DownMigrationDataLoss.MigrationName(id),
                state = status.Unknown.Contains(id) ? "unknown" : status.Pending.Contains(id) ? "pending" : "applied",
            });
            contexts.Add(new { context = migrator.ContextName, connectionName = migrator.ConnectionName, database = status.Database, migrations });
        }

        await output.WriteLineAsync(JsonSerializer.Serialize(new { contexts }));
    }

    private async Task ScriptAsync(CancellationToken cancellationToken)
    {
        foreach (var migrator in migrators)
        {
            var script = await migrator.GenerateScriptAsync(cancellationToken);
            await output.WriteLineAsync(script.Length == 0
                ? $"-- {migrator.ContextName}: no pending migrations"
                : $"-- {migrator.ContextName}: pending migrations (idempotent)\n{script}");
        }
    }

    private static int Fail(Activity? activity, int exitCode, Exception? exception = null)
    {
        activity?.SetStatus(ActivityStatusCode.Error, exception?.Message);
        activity?.SetTag("process.exit.code", exitCode);
        return exitCode;
    }
}
