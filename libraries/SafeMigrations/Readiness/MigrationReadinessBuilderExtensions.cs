using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SafeMigrations.Readiness;

/// <summary>Registers the readiness check that says whether this build's migrations are applied.</summary>
public static class MigrationReadinessBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="PendingMigrationsHealthCheck{TContext}"/> as <paramref name="name"/>: one instance per process,
    /// reading the history of <typeparamref name="TContext"/>'s database at most once per
    /// <c>HealthChecks:ReadinessInterval</c>. A value below 1 s stops the app at startup, naming the key.
    /// </summary>
    /// <typeparam name="TContext">The context whose migrations must be applied (registered already, e.g. with Aspire's <c>AddNpgsqlDbContext</c>).</typeparam>
    /// <param name="builder">The app's health checks.</param>
    /// <param name="name">The check's name: by default <c>pending-migrations</c>. An app with several contexts adds one
    /// check per context, each under a name of its own (health checks refuse a name registered twice).</param>
    /// <param name="tags">Tags of the check (none: it belongs to readiness, <c>/health</c>).</param>
    public static IHealthChecksBuilder AddMigrationReadiness<TContext>(this IHealthChecksBuilder builder,
        string name = MigrationReadiness.Name, params string[] tags)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        builder.Services.AddOptions<MigrationReadinessOptions>()
            .BindConfiguration(MigrationReadinessOptions.SectionName)
            .Validate(o => o.ReadinessInterval >= TimeSpan.FromSeconds(1),
                $"{MigrationReadinessOptions.SectionName}:{nameof(MigrationReadinessOptions.ReadinessInterval)} must be at least 1 second.")
            .ValidateOnStart();
        // A singleton: the cache and the single read in flight are per process.
        builder.Services.TryAddSingleton<PendingMigrationsHealthCheck<TContext>>();
        return builder.AddCheck<PendingMigrationsHealthCheck<TContext>>(name, tags: tags);
    }
}
