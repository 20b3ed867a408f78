using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using TestWorker;

namespace SafeMigrations.Worker.Tests;

/// <summary>The test worker's two contexts, built without a database, as target selection sees them.</summary>
internal static class TestContexts
{
    /// <summary>The catalog's and the orders' migrations, in the test worker's registration order.</summary>
    public static IReadOnlyList<IMigrationTargets> Both() =>
    [
        new Targets(new CatalogContext(Options<CatalogContext>())),
        new Targets(new OrdersContext(Options<OrdersContext>())),
    ];

    private static DbContextOptions<T> Options<T>()
        where T : DbContext =>
        new DbContextOptionsBuilder<T>().UseNpgsql("Host=localhost;Database=unused").Options;

    /// <summary>What the worker reads of a context for its targets: EF Core's own lookup of a migration by id or name.</summary>
    private sealed class Targets(DbContext context) : IMigrationTargets
    {
        public string Name => context.GetType().Name;

        public IReadOnlyList<string> KnownMigrations => [.. context.Database.GetMigrations()];

        public string? FindMigrationId(string nameOrId) => context.GetService<IMigrationsAssembly>().FindMigrationId(nameOrId);
    }
}
