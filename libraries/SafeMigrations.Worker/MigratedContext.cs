using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace SafeMigrations.Worker;

/// <summary>A context registered with <see cref="MigrationWorkerBuilder.AddContext{TContext}"/>: what it migrates, whose role it keeps, how it seeds.</summary>
/// <param name="ContextType">The DbContext's type.</param>
/// <param name="ConnectionName">The connection string it migrates, <c>ConnectionStrings:&lt;name&gt;</c> (the admin's or the migrator's login).</param>
internal sealed record MigratedContext(Type ContextType, string ConnectionName)
{
    /// <summary>The context's type name, as logs, spans, <c>--list</c> and <c>--context</c> name it.</summary>
    public string Name => ContextType.Name;

    /// <summary>The web app's login to the same database: <c>ConnectionStrings:&lt;connection name&gt;-web</c> unless set.</summary>
    public string WebLoginName { get; set; } = $"{ConnectionName}-web";

    /// <summary>Seeds a new database (<see cref="IDbSeeder{TContext}"/>); null: no seed.</summary>
    public Func<IServiceProvider, DbContext, CancellationToken, Task>? Seed { get; set; }

    /// <summary>The context, from <paramref name="services"/> (a scope of the worker's).</summary>
    public DbContext Resolve(IServiceProvider services) => (DbContext)services.GetRequiredService(ContextType);
}
