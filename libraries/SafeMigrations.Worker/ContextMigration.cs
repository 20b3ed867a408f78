using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SafeMigrations.Worker;

/// <summary>
/// Migrates <typeparamref name="TContext"/> under the migration lock (<see cref="MigrationLock"/>), and seeds it when it
/// was new. A run with nothing to do (<see cref="FastPath"/>) ends without the lock.
/// </summary>
public sealed class DbContextMigrator<TContext>(
    string connectionName,
    IServiceScopeFactory scopeFactory,
    DatabaseConnector connector,
    FastPath fastPath,
    MigrationStepRunner stepRunner,
    DatabaseRoles roles,
    MigrationGuards guards,
    IOptions<MigrationOptions> options,
    IOptions<MigrationLimits> limits,
    ILogger<DbContextMigrator<TContext>> logger) : IDbContextMigrator
    where TContext : DbContext
{
    private static readonly RetriedStep RoleSetupStep = new("role setup (ownership and grants)", "Nothing was migrated");

    private readonly MigrationOptions _options = options.Value;
    private readonly MigrationLimits _limits = limits.Value;

    public string ContextName => typeof(TContext).Name;

    public string ConnectionName => connectionName;

    public IReadOnlyList<string> KnownMigrations
    {
        get
        {
            using var scope = scopeFactory.CreateScope();
            return [.. scope.ServiceProvider.GetRequiredService<TContext>().Database.GetMigrations()];
        }
    }

    public string? ResolveTarget(string target)
    {
        if (target == Migration.InitialDatabase)
        {
            return Migration.InitialDatabase;
        }

        using var scope = scopeFactory.CreateScope();
        var context = scope.ServiceProvider.GetRequiredService<TContext>();
        return context.GetService<IMigrationsAssembly>().FindMigrationId(target);
    }

    public async Task MigrateAsync(string? targetId, CancellationToken cancellationToken)
    {
        using var activity = MigrationTelemetry.Source.StartActivity($"migrate {ContextName}");
        activity?.SetTag("db.context", ContextName);
        activity?.SetTag("migrations.target", targetId ?? "latest");
        var elapsed = Stopwatch.StartNew();
        var outcome = "failed";
        try
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            var context = scope.ServiceProvider.GetRequiredService<TContext>();
            context.Database.SetCommandTimeout(_options.CommandTimeout);
            await connector.OpenAsync(context, _options.ConnectTimeout, createIfMissing: true, cancellationToken);
            try
            {
                await SessionLimits.ApplyAsync(context, _limits, cancellationToken);
                var decision = await fastPath.DecideAsync(context, targetId, cancellationToken);
                activity?.SetTag("migrations.path", decision.SlowPathReason is null ? "fast" : "slow");
                if (decision.SlowPathReason is null)
                {
                    logger.LogInformation(
                        "{Context}: nothing to do, so the migration lock was not taken: every migration of this build is applied, " +
                        "with the checksum recorded then, and the roles are set up", ContextName);
                    guards.WarnAboutUnknown(context, decision.Applied);
                    ReportNewerSchema([.. decision.Applied], context);
                    Summarise([], [], decision.Applied.Count, elapsed, activity);
                    outcome = "succeeded";
                    return;
                }

                logger.LogInformation("{Context}: {Reason}; taking the migration lock", ContextName, decision.SlowPathReason);
                await SessionLimits.ApplyAsync(context, _limits, cancellationToken);
                await MigrationLock.CreateIfMissingAsync(context, cancellationToken);
                await using var migrationLock = await MigrationLock.AcquireAsync(
                    context, _limits.AdvisoryLockTimeout ?? _options.CommandTimeout, logger, cancellationToken);
                await MigrateUnderLockAsync(scope.ServiceProvider, context, migrationLock, targetId, elapsed, activity, cancellationToken);
            }
            finally
            {
                await context.Database.CloseConnectionAsync();
            }

            outcome = "succeeded";
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
        finally
        {
            MigrationTelemetry.ContextDuration.Record(elapsed.Elapsed.TotalSeconds,
                new("db.context", ContextName), new("outcome", outcome));
        }
    }

    /// <summary>The whole run — roles, history read, migrations, seed — with <paramref name="migrationLock"/> held.</summary>
    private async Task MigrateUnderLockAsync(IServiceProvider services, TContext context, MigrationLock migrationLock, string? targetId,
        Stopwatch elapsed, Activity? activity, CancellationToken cancellationToken)
    {
        // Roles and grants first, under the lock timeout like any DDL (handing a table to the owner role takes
        // ACCESS EXCLUSIVE on it); the session then acts as the owner role, so what the migrations (and the
        // seed) create is owned by it, not by the admin login.
        await stepRunner.RunWithRetriesAsync(context, migrationLock, RoleSetupStep, ct => roles.PrepareAsync(context, ct), cancellationToken);
        if (_options.Repair)
        {
            await guards.RepairAsync(context, cancellationToken);
            return;
        }

        var dropped = await guards.CheckAsync(context, targetId, cancellationToken);
        var before = (await context.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
        ReportNewerSchema(before, context);

        await stepRunner.MigrateAsync(context, targetId, migrationLock, cancellationToken);

        var after = (await context.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
        var applied = after.Except(before).ToList();
        var reverted = before.Except(after).Reverse().ToList();
        await guards.RecordAsync(context, applied, reverted, cancellationToken);
        foreach (var loss in dropped)
        {
            logger.LogWarning("{Context}: dropped with --allow-data-loss: {Loss}", ContextName, loss);
        }

        Summarise(applied, reverted, after.Count, elapsed, activity);

        // Sample data goes into a new database only: found with an empty history, now at the latest migration. Never
        // again, so that what a user deleted stays deleted.
        if (targetId is null && before.Count == 0)
        {
            await migrationLock.EnsureHeldAsync(context, cancellationToken);
            await SeedAsync(services, context, cancellationToken);
        }
    }

    public async Task<MigrationStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<TContext>();
        var applied = await ReadAppliedAsync(context, cancellationToken);
        var known = context.Database.GetMigrations().ToList();
        return new MigrationStatus(
            Database: context.Database.GetDbConnection().Database,
            Applied: applied,
            Pending: [.. known.Except(applied)],
            Unknown: [.. applied.Except(known)]);
    }

    public async Task<string> GenerateScriptAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<TContext>();
        var applied = await ReadAppliedAsync(context, cancellationToken);
        var known = context.Database.GetMigrations().ToList();
        if (known.Except(applied).FirstOrDefault() is null)
        {
            return string.Empty;
        }

        var lastApplied = known.LastOrDefault(applied.Contains);
        return context.GetService<IMigrator>().GenerateScript(
            fromMigration: lastApplied,
            toMigration: null,
            MigrationsSqlGenerationOptions.Idempotent);
    }

    /// <summary>The applied migrations; none when the database does not exist yet. Reads only.</summary>
    private async Task<List<string>> ReadAppliedAsync(TContext context, CancellationToken cancellationToken)
    {
        context.Database.SetCommandTimeout(_options.CommandTimeout);
        if (!await connector.OpenAsync(context, _options.ConnectTimeout, createIfMissing: false, cancellationToken))
        {
            return [];
        }

        try
        {
            return [.. await context.Database.GetAppliedMigrationsAsync(cancellationToken)];
        }
        finally
        {
            await context.Database.CloseConnectionAsync();
        }
    }

    private async Task SeedAsync(IServiceProvider services, TContext context, CancellationToken cancellationToken)
    {
        if (services.GetService<IDbSeeder<TContext>>() is not { } seeder)
        {
            return;
        }

        using var activity = MigrationTelemetry.Source.StartActivity($"seed {ContextName}");
        await seeder.SeedAsync(context, cancellationToken);
        logger.LogInformation("{Context}: seed done", ContextName);
    }

    /// <summary>
    /// A database migrated by a newer release (a rollback, or a previous revision restarting during a rollout) is not an
    /// error: migrating to the latest migration of this build leaves the newer ones applied, and this build runs on that
    /// schema (expand/contract). Said once, so that nobody mistakes it for a silent no-op.
    /// </summary>
    private void ReportNewerSchema(List<string> applied, TContext context)
    {
        var unknown = applied.Except(context.Database.GetMigrations()).ToList();
        if (unknown.Count > 0)
        {
            logger.LogInformation(
                "{Context}: the database is ahead of this build: {Count} applied migration(s) this build does not know ({Migrations}); they stay applied",
                ContextName, unknown.Count, string.Join(", ", unknown));
        }
    }

    private void Summarise(List<string> applied, List<string> reverted, int total, Stopwatch elapsed, Activity? activity)
    {
        Report(applied, "Applied", "up");
        Report(reverted, "Reverted", "down");
        activity?.SetTag("migrations.applied", applied.Count);
        activity?.SetTag("migrations.reverted", reverted.Count);
        logger.LogInformation(
            "{Context}: {Applied} migration(s) applied, {Reverted} reverted; {Total} applied in all ({Seconds:0.00} s)",
            ContextName, applied.Count, reverted.Count, total, elapsed.Elapsed.TotalSeconds);
    }

    private void Report(List<string> migrations, string verb, string direction)
    {
        foreach (var migration in migrations)
        {
            logger.LogInformation("{Context}: {Verb} migration {Migration}", ContextName, verb, migration);
        }

        MigrationTelemetry.MigrationsApplied.Add(migrations.Count, new("db.context", ContextName), new("direction", direction));
    }
}
