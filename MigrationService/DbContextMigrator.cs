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
    IServiceScopeFactory scopeFactory,
    DatabaseConnector connector,
    DatabaseRoles roles,
    IOptions<MigrationOptions> options,
    ILogger<DbContextMigrator<TContext>> logger) : IDbContextMigrator
    where TContext : DbContext
{
    // One session-level lock serialises every worker on a database. EF Core's own migration lock (LOCK TABLE on the
    // history, per migration transaction) lets concurrent workers apply the same migration twice on Npgsql, so the
    // whole run — history read, migrations, seed — happens under this lock, on the connection that holds it.
    internal const long MigrationLockKey = 0x4D49_4752_4154_45; // "MIGRATE"

    private readonly MigrationOptions _options = options.Value;

    public string ContextName => typeof(TContext).Name;

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
                await AcquireLockAsync(context, cancellationToken);
                // Roles and grants first, under the lock; the session then acts as the owner role, so what the
                // migrations (and the seed) create is owned by it, not by the admin login.
                await roles.PrepareAsync(context, cancellationToken);
                var before = (await context.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();

                await context.Database.MigrateAsync(targetId, cancellationToken);

                var after = (await context.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
                var applied = after.Except(before).ToList();
                var reverted = before.Except(after).Reverse().ToList();
                Report(applied, "Applied", "up");
                Report(reverted, "Reverted", "down");
                activity?.SetTag("migrations.applied", applied.Count);
                activity?.SetTag("migrations.reverted", reverted.Count);
                logger.LogInformation(
                    "{Context}: {Applied} migration(s) applied, {Reverted} reverted; {Total} applied in all",
                    ContextName, applied.Count, reverted.Count, after.Count);

                if (targetId is null)
                {
                    await SeedAsync(scope.ServiceProvider, context, cancellationToken);
                }
            }
            finally
            {
                // Closing returns the connection to the pool, whose reset releases the lock anyway; unlock explicitly
                // so the lock's lifetime reads plainly here. Not cancellable: it must run after a cancellation too.
                await ReleaseLockAsync(context);
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

    private async Task AcquireLockAsync(TContext context, CancellationToken cancellationToken)
    {
        var acquired = await context.Database
            .SqlQuery<bool>($"SELECT pg_try_advisory_lock({MigrationLockKey}) AS \"Value\"")
            .SingleAsync(cancellationToken);
        if (!acquired)
        {
            logger.LogInformation("Another worker is migrating {Context}; waiting for it to finish", ContextName);
            await context.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({MigrationLockKey})", cancellationToken);
        }
    }

    private async Task ReleaseLockAsync(TContext context)
    {
        try
        {
            await context.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None);
        }
        catch (Exception e)
        {
            // The connection is gone (and with it the session's lock); the original failure is what matters.
            logger.LogDebug(e, "Could not release the migration lock of {Context}", ContextName);
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

    private void Report(List<string> migrations, string verb, string direction)
    {
        foreach (var migration in migrations)
        {
            logger.LogInformation("{Context}: {Verb} migration {Migration}", ContextName, verb, migration);
        }

        MigrationTelemetry.MigrationsApplied.Add(migrations.Count, new("db.context", ContextName), new("direction", direction));
    }
}
