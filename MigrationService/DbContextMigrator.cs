using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MigrationService;

/// <summary>Migrates <typeparamref name="TContext"/> under a PostgreSQL advisory lock, then seeds it.</summary>
public sealed class DbContextMigrator<TContext>(
    string connectionName,
    IServiceScopeFactory scopeFactory,
    DatabaseConnector connector,
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
                // The whole run — roles, history read, migrations, seed — under the migration lock, on the connection holding it.
                await MigrationLock.AcquireAsync(context, _limits.AdvisoryLockTimeout ?? _options.CommandTimeout, logger, cancellationToken);
                await using var blockers = LockBlockerObserver.Start(context, _limits.LockTimeout, logger);
                // Roles and grants first, under the lock timeout like any DDL (handing a table to the owner role takes
                // ACCESS EXCLUSIVE on it); the session then acts as the owner role, so what the migrations (and the
                // seed) create is owned by it, not by the admin login.
                await stepRunner.RunWithRetriesAsync(context, RoleSetupStep, blockers,
                    ct => roles.PrepareAsync(context, ct), cancellationToken);
                if (_options.Repair)
                {
                    await guards.RepairAsync(context, cancellationToken);
                    outcome = "succeeded";
                    return;
                }

                var dropped = await guards.CheckAsync(context, targetId, cancellationToken);
                var before = (await context.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
                ReportNewerSchema(before, context);

                await stepRunner.MigrateAsync(context, targetId, blockers, cancellationToken);

                var after = (await context.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
                var applied = after.Except(before).ToList();
                var reverted = before.Except(after).Reverse().ToList();
                await guards.RecordAsync(context, applied, reverted, cancellationToken);
                foreach (var loss in dropped)
                {
                    logger.LogWarning("{Context}: dropped with --allow-data-loss: {Loss}", ContextName, loss);
                }

                Report(applied, "Applied", "up");
                Report(reverted, "Reverted", "down");
                activity?.SetTag("migrations.applied", applied.Count);
                activity?.SetTag("migrations.reverted", reverted.Count);
                logger.LogInformation(
                    "{Context}: {Applied} migration(s) applied, {Reverted} reverted; {Total} applied in all ({Seconds:0.00} s)",
                    ContextName, applied.Count, reverted.Count, after.Count, elapsed.Elapsed.TotalSeconds);

                if (targetId is null)
                {
                    await SeedAsync(scope.ServiceProvider, context, cancellationToken);
                }
            }
            finally
            {
                // Closing returns the connection to the pool, whose reset releases the lock anyway; unlock explicitly
                // so the lock's lifetime reads plainly here.
                await MigrationLock.ReleaseAsync(context, logger);
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

    private void Report(List<string> migrations, string verb, string direction)
    {
        foreach (var migration in migrations)
        {
            logger.LogInformation("{Context}: {Verb} migration {Migration}", ContextName, verb, migration);
        }

        MigrationTelemetry.MigrationsApplied.Add(migrations.Count, new("db.context", ContextName), new("direction", direction));
    }
}
