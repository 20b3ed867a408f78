using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace SafeMigrations.Worker;

/// <summary>
/// Applies migrations one at a time on the worker's open session, retrying a migration (or the role setup before them)
/// that hit the lock timeout.
/// </summary>
/// <remarks>
/// EF Core runs each migration in its own transaction, so a lock timeout (55P03) rolls back just that migration;
/// migrating step by step (<see cref="MigrationSteps"/>) lets the worker retry it alone, after a pause that doubles each
/// time, until <see cref="MigrationLimits.LockRetries"/> is spent. A migration with online steps (which commit on their
/// own) is run again from the top; its steps are written to allow that.
/// </remarks>
public sealed class MigrationStepRunner(IOptions<MigrationLimits> limits, ILogger<MigrationStepRunner> logger)
{
    private const string MigrationGivenUp = "The migration was rolled back and earlier ones stay applied";

    private readonly MigrationLimits _limits = limits.Value;

    /// <summary>Migrates <paramref name="context"/> (its connection open, <paramref name="migrationLock"/> held) to <paramref name="targetId"/>.</summary>
    public async Task MigrateAsync(DbContext context, string? targetId, MigrationLock migrationLock, CancellationToken cancellationToken)
    {
        var contextName = context.GetType().Name;
        var applied = (await context.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
        var steps = MigrationSteps.Plan([.. context.Database.GetMigrations()], applied, targetId);
        var migrator = context.GetService<IMigrator>();

        // Online migrations report progress as INFO messages (RAISE INFO); other notices ("… skipping") are detail.
        var connection = (NpgsqlConnection)context.Database.GetDbConnection();
        NoticeEventHandler onNotice = (_, e) => logger.Log(
            e.Notice.InvariantSeverity == "INFO" ? LogLevel.Information : LogLevel.Debug,
            "{Context}: {Message}", contextName, e.Notice.MessageText);
        connection.Notice += onNotice;
        try
        {
            foreach (var step in steps)
            {
                await RunWithRetriesAsync(context, migrationLock, new RetriedStep(step.Description, MigrationGivenUp),
                    ct => migrator.MigrateAsync(step.Target, ct), cancellationToken);
            }
        }
        finally
        {
            connection.Notice -= onNotice;
        }
    }

    /// <summary>
    /// Runs <paramref name="attempt"/> on the worker's open session under <see cref="MigrationLimits"/>, once it checked that
    /// <paramref name="migrationLock"/> is still held; when it hits the lock timeout, again after a pause that doubles
    /// each time, until <see cref="MigrationLimits.LockRetries"/> is spent.
    /// </summary>
    /// <exception cref="LockWaitTimeoutException">Every attempt timed out; the message names the last holder seen.</exception>
    public async Task RunWithRetriesAsync(
        DbContext context, MigrationLock migrationLock, RetriedStep step, Func<CancellationToken, Task> attempt,
        CancellationToken cancellationToken)
    {
        var contextName = context.GetType().Name;
        for (var retry = 0; ; retry++)
        {
            await migrationLock.EnsureHeldAsync(context, cancellationToken);
            // Again before each attempt: an online step that failed may have left a setting of its own in force.
            await SessionLimits.ApplyAsync(context, _limits, cancellationToken);
            var holders = await AttemptAsync(context, attempt, cancellationToken);
            if (holders is null)
            {
                return;
            }

            if (retry >= _limits.LockRetries)
            {
                throw new LockWaitTimeoutException(
                    $"A lock wait timed out: {contextName} {step.Description} waited longer than Migrations:LockTimeout " +
                    $"({_limits.LockTimeout.TotalSeconds:0.###} s) in each of {retry + 1} attempt(s), last for a lock {holders.Value.Described}. " +
                    $"{step.GivenUp}: end that session or run again later " +
                    "(Migrations:LockRetries and Migrations:LockRetryDelay set the budget).", holders.Value.Timeout);
            }

            var delay = _limits.LockRetryDelay * Math.Pow(2, retry);
            logger.LogWarning(
                "{Context}: {Step} waited longer than {LockTimeout} s for a lock {Holders}; rolled back, retry {Retry} of {Retries} in {Delay} s",
                contextName, step.Description, _limits.LockTimeout.TotalSeconds, holders.Value.Described, retry + 1, _limits.LockRetries,
                delay.TotalSeconds);
            await Task.Delay(delay, cancellationToken);
        }
    }

    /// <returns>Null when the attempt succeeded; when it hit the lock timeout, that error and who held the lock.</returns>
    private async Task<(string Described, Exception Timeout)?> AttemptAsync(
        DbContext context, Func<CancellationToken, Task> attempt, CancellationToken cancellationToken)
    {
        await using var blockers = LockBlockerObserver.Start(context, _limits.LockTimeout, logger);
        try
        {
            await attempt(cancellationToken);
            return null;
        }
        catch (Exception e) when (LockWaitTimeoutException.IsLockTimeout(e))
        {
            return (LockHolder.Describe(blockers.LastSeen), e);
        }
    }
}
