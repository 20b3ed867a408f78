using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SafeMigrations.Worker;

/// <summary>Registration of the contexts the worker migrates (in the spirit of eShop's <c>AddMigration</c>).</summary>
public static class MigrationServiceCollectionExtensions
{
    /// <summary>
    /// Migrates <typeparamref name="TContext"/>, registered with the connection string <paramref name="connectionName"/>;
    /// contexts are migrated in the order they are registered.
    /// </summary>
    public static IServiceCollection AddMigration<TContext>(this IServiceCollection services, string connectionName)
        where TContext : DbContext
    {
        services.TryAddSingleton<DatabaseConnector>();
        services.TryAddSingleton<MigrationStepRunner>();
        services.AddOptions<MigrationLimits>().BindConfiguration(MigrationOptions.SectionName);
        services.TryAddSingleton<DatabaseRoles>();
        services.TryAddSingleton<MigrationGuards>();
        services.TryAddSingleton<FastPath>();
        services.AddSingleton<IDbContextMigrator>(provider =>
            ActivatorUtilities.CreateInstance<DbContextMigrator<TContext>>(provider, connectionName));
        return services;
    }

    /// <summary>Migrates <typeparamref name="TContext"/>, and seeds it with <typeparamref name="TSeeder"/> once: when it was new (see <see cref="IDbSeeder{TContext}"/>).</summary>
    public static IServiceCollection AddMigration<TContext, TSeeder>(this IServiceCollection services, string connectionName)
        where TContext : DbContext
        where TSeeder : class, IDbSeeder<TContext>
    {
        services.AddScoped<IDbSeeder<TContext>, TSeeder>();
        return services.AddMigration<TContext>(connectionName);
    }
}
