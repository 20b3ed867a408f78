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

    /// <summary>
    /// The setting (<c>TestWorker:UnmigratedEntity=true</c>) that adds an entity no migration creates: the model then
    /// has changes without a migration, as after a developer's edit that forgot <c>dotnet ef migrations add</c>.
    /// </summary>
    public const string UnmigratedEntitySetting = "TestWorker:UnmigratedEntity";

    /// <summary>Whether the model has the entity of <see cref="UnmigratedEntitySetting"/> (set once, at start).</summary>
    public static bool HasUnmigratedEntity { get; set; }

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        if (HasUnmigratedEntity)
        {
            modelBuilder.Entity<Coupon>().ToTable("Coupons");
        }
    }
}

/// <summary>The entity of <see cref="OrdersContext.UnmigratedEntitySetting"/>.</summary>
public sealed class Coupon
{
    /// <summary>The key.</summary>
    public int Id { get; set; }
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
