using Data;
using SafeMigrations.Worker;

namespace Migrator;

/// <summary>Gives a new orders database a few sample orders; the worker runs it once, when it creates the schema.</summary>
public sealed class OrdersSeeder : IDbSeeder<OrdersDbContext>
{
    /// <summary>The sample customers, one order each.</summary>
    public static readonly string[] Customers = ["Ada", "Grace", "Edsger"];

    /// <inheritdoc />
    public async Task SeedAsync(OrdersDbContext context, CancellationToken cancellationToken)
    {
        context.Orders.AddRange(Customers.Select((customer, i) => new Order { Customer = customer, Total = 10m * (i + 1) }));
        await context.SaveChangesAsync(cancellationToken);
    }
}
