using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace SafeMigrations.Worker;

/// <summary>What <see cref="MigrationWorkerBuilder.AddContext{TContext}"/> returns: the context's seed and web login.</summary>
/// <typeparam name="TContext">The context.</typeparam>
public sealed class MigrationContextBuilder<TContext>
    where TContext : DbContext
{
    private readonly MigratedContext _context;
    private readonly IServiceCollection _services;

    internal MigrationContextBuilder(MigratedContext context, IServiceCollection services) => (_context, _services) = (context, services);

    /// <summary>
    /// Seeds a new database with <typeparamref name="TSeeder"/>, once: after a run that found the history empty has
    /// migrated it to the latest migration, never again (see <see cref="IDbSeeder{TContext}"/>).
    /// </summary>
    /// <typeparam name="TSeeder">The seeder, created in the run's scope (so it may take the context's other services).</typeparam>
    public MigrationContextBuilder<TContext> WithSeeder<TSeeder>()
        where TSeeder : class, IDbSeeder<TContext>
    {
        _services.AddScoped<TSeeder>();
        _context.Seed = (services, context, cancellationToken) =>
            services.GetRequiredService<TSeeder>().SeedAsync((TContext)context, cancellationToken);
        return this;
    }

    /// <summary>
    /// Reads the web app's login to this context's database from <c>ConnectionStrings:<paramref name="connectionName"/></c>
    /// (also with <c>_</c> for <c>-</c>, a name shells accept) instead of <c>ConnectionStrings:&lt;connection name&gt;-web</c>.
    /// The worker keeps the role it names (rows only) and sets the password it holds; without one the role is
    /// <c>&lt;database&gt;_web</c> and its password is left as it is.
    /// </summary>
    /// <param name="connectionName">The web login's connection string name.</param>
    public MigrationContextBuilder<TContext> WithWebLogin(string connectionName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);
        _context.WebLoginName = connectionName;
        return this;
    }
}
