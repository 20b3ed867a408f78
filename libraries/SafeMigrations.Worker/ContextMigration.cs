using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SafeMigrations.Readiness;

namespace SafeMigrations.Worker;

/// <summary>
/// One registered context's run, top to bottom: connect, the fast path, the migration lock, roles, guards, one migration
/// at a time (each with its checksum, in its transaction), seed. Each safety layer is one line of <see cref="MigrateAsync"/>; what it does is in its own
/// class.
/// </summary>
internal sealed class ContextMigration(
    MigratedContext registration,
    IReadOnlyList<MigratedContext> everyContext,
    IServiceScopeFactory scopes,
    IConfiguration configuration,
    DatabaseConnector connector,
    FastPath fastPath,
    LockTimeoutRetry retry,
    DatabaseRoles roles,
    MigrationGuards guards,
    MigrationOptions options,
    ILogger<ContextMigration> logger) : IMigrationTargets
{
    private static readonly LockTimeoutRetry.Work RoleSetup = new("role setup (ownership and grants)", "Nothing was migrated");

    // Checked before the run started (MigrationWorkerBuilder.RunAsync).
    private readonly WebLogin _webLogin = WebLogin.Read(configuration, registration).Login!;
    private IReadOnlyList<string>? _known;

    /// <inheritdoc />
    public string Name => registration.Name;

    /// <summary>The connection string the context migrates.</summary>
    public string ConnectionName => registration.ConnectionName;

    /// <inheritdoc />
    public IReadOnlyList<string> KnownMigrations => _known ??= InScope(context => context.Database.GetMigrations().ToList());

    /// <inheritdoc />
    public string? FindMigrationId(string nameOrId) => InScope(context => context.GetService<IMigrationsAssembly>().FindMigrationId(nameOrId));

    /// <summary>Brings the database to <paramref name="targetId"/> (null: the latest, then a new database is seeded).</summary>
    public async Task MigrateAsync(string? targetId, CancellationToken cancellationToken)
    {
        using var activity = MigrationTelemetry.Source.StartActivity($"migrate {Name}");
        activity?.SetTag("db.context", Name);
        activity?.SetTag("migrations.target", targetId ?? "latest");
        var elapsed = Stopwatch.StartNew();
        var outcome = "failed";
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var context = registration.Resolve(scope.ServiceProvider);
            await connector.OpenAsync(context, ConnectionName, createIfMissing: true, cancellationToken);
            try
            {
                await SessionLimits.ApplyAsync(context, options, cancellationToken);
                var decision = await fastPath.DecideAsync(context, _webLogin, targetId, cancellationToken);
                activity?.SetTag("migrations.path", decision.SlowPathReason is null ? "fast" : "slow");
                if (decision.SlowPathReason is null)
                {
                    logger.LogInformation(
                        "{Context}: nothing to do, so the migration lock was not taken: every migration of this build is applied, " +
                        "with the checksum recorded then, and the roles are set up", Name);
                    ReportAhead(decision.History!);
                    Summarise([], [], decision.History!.Applied.Count, elapsed, activity);
                }
                else
                {
                    logger.LogInformation("{Context}: {Reason}; taking the migration lock", Name, decision.SlowPathReason);
                    await MigrationLock.CreateIfMissingAsync(context, cancellationToken);
                    await using var migrationLock = await MigrationLock.AcquireAsync(context, options.MigrationLockTimeout, logger, cancellationToken);
                    await MigrateUnderLockAsync(scope.ServiceProvider, context, migrationLock, targetId, elapsed, activity, cancellationToken);
                }
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
            MigrationTelemetry.ContextDuration.Record(elapsed.Elapsed.TotalSeconds, new("db.context", Name), new("outcome", outcome));
        }
    }

    /// <summary>The slow path — roles, guards, migrations, seed — with <paramref name="migrationLock"/> held throughout.</summary>
    private async Task MigrateUnderLockAsync(IServiceProvider services, DbContext context, MigrationLock migrationLock, string? targetId,
        Stopwatch elapsed, Activity? activity, CancellationToken cancellationToken)
    {
        // Roles and grants first, under the lock timeout like any DDL (handing a table to the owner role takes ACCESS
        // EXCLUSIVE on it); the session then acts as the owner role, so what the migrations and the seed create is its.
        var workerTables = everyContext.Select(c => HistoryTables.Of(c.Resolve(services))).ToList();
        await retry.RunAsync(context, migrationLock, RoleSetup, ct => roles.PrepareAsync(context, _webLogin, workerTables, ct), cancellationToken);
        if (options.Repair)
        {
            await guards.RepairAsync(context, cancellationToken);
            return;
        }

        var before = MigrationHistoryState.Of(context.Database.GetMigrations(), await context.Database.GetAppliedMigrationsAsync(cancellationToken));
        ReportAhead(before);
        var dropped = await guards.CheckAsync(context, before.Applied, targetId, cancellationToken);
        // The lock budget: a pending migration estimated to block the app too long is refused before anything moves.
        var (_, _, _, toApply) = MigrationPlan.Changes([.. context.Database.GetMigrations()], before.Applied, targetId);
        await MigrationPlanner.CheckBudgetAsync(context, toApply, options.MaxLockedTime, cancellationToken);

        await MigrateOneAtATimeAsync(context, migrationLock, before.Applied, targetId, cancellationToken);

        var after = (await context.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
        var applied = after.Except(before.Applied).ToList();
        var reverted = before.Applied.Except(after).Reverse().ToList();
        foreach (var loss in dropped)
        {
            logger.LogWarning("{Context}: dropped with --allow-data-loss: {Loss}", Name, loss);
        }

        Summarise(applied, reverted, after.Count, elapsed, activity);

        // Sample data goes into a new database only: found with an empty history, now at the latest migration. Never
        // again, so that what a user deleted stays deleted.
        if (targetId is null && before.Applied.Count == 0 && registration.Seed is { } seed)
        {
            await migrationLock.EnsureHeldAsync(context, cancellationToken);
            using var seeding = MigrationTelemetry.Source.StartActivity($"seed {Name}");
            await seed(services, context, cancellationToken);
            logger.LogInformation("{Context}: seed done", Name);
        }
    }

    /// <summary>
    /// Moves the history one migration at a time (<see cref="MigrationPlan"/>), each retried alone when it hits the lock
    /// timeout: EF Core runs each migration in its own transaction, so a lock timeout rolls back just that one. A
    /// migration with online steps (which commit on their own) is run again from the top; its steps allow that.
    /// </summary>
    private async Task MigrateOneAtATimeAsync(DbContext context, MigrationLock migrationLock, IReadOnlyList<string> applied, string? targetId,
        CancellationToken cancellationToken)
    {
        var migrator = context.GetService<IMigrator>();
        using var notices = ServerNotices.Log(context, logger, Name);
        foreach (var move in MigrationPlan.OneAtATime([.. context.Database.GetMigrations()], applied, targetId))
        {
            await retry.RunAsync(context, migrationLock, new(move.Description, "The migration was rolled back and earlier ones stay applied"),
                ct => migrator.MigrateAsync(move.Target, ct), cancellationToken);
        }
    }

    /// <summary>What <c>--list</c> shows: the database's name and its history; nothing applied when the database does not exist. Reads only.</summary>
    public async Task<ContextStatus> ReadStatusAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var context = registration.Resolve(scope.ServiceProvider);
        var applied = await ReadAppliedAsync(context, cancellationToken);
        // EF Core's own comparison of the model with the last migration's snapshot: no database needed.
        return new(context.Database.GetDbConnection().Database, MigrationHistoryState.Of(context.Database.GetMigrations(), applied),
            context.Database.HasPendingModelChanges());
    }

    /// <summary>
    /// What <c>--plan</c> shows (<see cref="MigrationPlanner"/>): the pending migrations with their locks, estimates and
    /// data checks. On a database that does not exist yet every migration is pending and no table is there to lock.
    /// Reads only.
    /// </summary>
    public async Task<ContextPlan> PlanAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var context = registration.Resolve(scope.ServiceProvider);
        var database = context.Database.GetDbConnection().Database;
        var known = context.Database.GetMigrations().ToList();
        if (!await connector.OpenAsync(context, ConnectionName, createIfMissing: false, cancellationToken))
        {
            return new(Name, database, [.. known.Select(id => new PlannedMigration(id, [], [], null))]);
        }

        try
        {
            await SessionLimits.ApplyAsync(context, options, cancellationToken);
            var applied = (await context.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
            var (_, _, _, toApply) = MigrationPlan.Changes(known, applied, targetId: null);
            return new(Name, database, await MigrationPlanner.PlanAsync(context, toApply, cancellationToken));
        }
        finally
        {
            await context.Database.CloseConnectionAsync();
        }
    }

    /// <summary>What <c>--drift</c> shows (<see cref="DriftDetection"/>); a database that does not exist has nothing applied and no drift. Reads only.</summary>
    public async Task<DriftReport> DetectDriftAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var context = registration.Resolve(scope.ServiceProvider);
        if (!await connector.OpenAsync(context, ConnectionName, createIfMissing: false, cancellationToken))
        {
            return new(Name, context.Database.GetDbConnection().Database, null, [], 0);
        }

        try
        {
            await SessionLimits.ApplyAsync(context, options, cancellationToken);
            var others = everyContext.Where(c => c != registration).Select(c => c.Resolve(scope.ServiceProvider)).ToList();
            return await DriftDetection.DetectAsync(context, others, _webLogin, options.Drift.Ignore, cancellationToken);
        }
        finally
        {
            await context.Database.CloseConnectionAsync();
        }
    }

    /// <summary>What <c>--script</c> shows: the idempotent SQL of the pending migrations (empty when none). Reads only.</summary>
    public async Task<string> GenerateScriptAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var context = registration.Resolve(scope.ServiceProvider);
        var applied = await ReadAppliedAsync(context, cancellationToken);
        var known = context.Database.GetMigrations().ToList();
        if (known.Except(applied).FirstOrDefault() is null)
        {
            return string.Empty;
        }

        // EF Core starts a script with the history's (and so the checksums') tables only when it starts from nothing; the
        // migrations' scripts record their checksums, so a script that starts later creates the checksums' table too.
        var from = known.LastOrDefault(applied.Contains);
        var script = context.GetService<IMigrator>().GenerateScript(fromMigration: from, toMigration: null, MigrationsSqlGenerationOptions.Idempotent);
        return from is null ? script : context.GetService<IHistoryRepository>().GetCreateIfNotExistsScript() + script;
    }

    /// <summary>The applied migrations; none when the database does not exist yet. Reads only.</summary>
    private async Task<List<string>> ReadAppliedAsync(DbContext context, CancellationToken cancellationToken)
    {
        if (!await connector.OpenAsync(context, ConnectionName, createIfMissing: false, cancellationToken))
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

    /// <summary>What the bootstrap sets up for this context (<see cref="BootstrapSql"/>): its database, roles and lock table. Connects to nothing.</summary>
    public BootstrapSql.Target BootstrapTarget() => InScope(context =>
    {
        var database = context.Database.GetDbConnection().Database;
        return new BootstrapSql.Target(database, DatabaseRoleNames.For(database, _webLogin), [MigrationLock.Table(context)]);
    });

    /// <summary>
    /// A database migrated by a newer release (a rollback, or a previous revision restarting during a rollout) is not an
    /// error: migrating to this build's latest leaves the newer migrations applied, and this build runs on that schema as
    /// long as they followed expand/contract. Said once per run, so that nobody mistakes it for a silent no-op.
    /// </summary>
    private void ReportAhead(MigrationHistoryState history)
    {
        if (history.Unknown.Count > 0)
        {
            logger.LogWarning(
                "{Context}: the database is ahead of this build: {Count} applied migration(s) this build does not know ({Migrations}); " +
                "they stay applied, and this build keeps working on that schema as long as they followed expand/contract",
                Name, history.Unknown.Count, string.Join(", ", history.Unknown));
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
            Name, applied.Count, reverted.Count, total, elapsed.Elapsed.TotalSeconds);
    }

    private void Report(List<string> migrations, string verb, string direction)
    {
        foreach (var migration in migrations)
        {
            logger.LogInformation("{Context}: {Verb} migration {Migration}", Name, verb, migration);
        }

        MigrationTelemetry.MigrationsApplied.Add(migrations.Count, new("db.context", Name), new("direction", direction));
    }

    private T InScope<T>(Func<DbContext, T> read)
    {
        using var scope = scopes.CreateScope();
        return read(registration.Resolve(scope.ServiceProvider));
    }
}
