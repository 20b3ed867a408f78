using Microsoft.EntityFrameworkCore;
using SafeMigrations.Worker;

namespace TestWorker;

/// <summary>A context with a table of products; its migrations create it (the model stays empty: the tests read SQL).</summary>
public sealed class CatalogContext(DbContextOptions<CatalogContext> options) : DbContext(options)
{
    /// <summary>What <see cref="CatalogSeeder"/> writes.</summary>
    public static readonly string[] SampleProducts = ["Kettle", "Teapot"];
}

/// <summary>A context with a table of orders and a history table of its own.</summary>
public sealed class OrdersContext(DbContextOptions<OrdersContext> options) : DbContext(options)
{
    /// <summary>Its migrations history, so that it can share a database with <see cref="CatalogContext"/>.</summary>
    public const string HistoryTable = "__OrdersMigrationsHistory";
}

/// <summary>Writes the sample products into a new catalog.</summary>
public sealed class CatalogSeeder : IDbSeeder<CatalogContext>
{
    /// <inheritdoc />
    public async Task SeedAsync(CatalogContext context, CancellationToken cancellationToken)
    {
        foreach (var name in CatalogContext.SampleProducts)
        {
            await context.Database.ExecuteSqlAsync($"""INSERT INTO "Products" ("Name") VALUES ({name})""", cancellationToken);
        }
    }
}
