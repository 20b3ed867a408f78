using Microsoft.EntityFrameworkCore;

namespace Data;

/// <summary>The orders database (<c>ordersdb</c>).</summary>
public sealed class OrdersDbContext(DbContextOptions<OrdersDbContext> options) : DbContext(options)
{
    /// <summary>The orders.</summary>
    public DbSet<Order> Orders => Set<Order>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Order>(order =>
        {
            order.Property(o => o.Customer).HasMaxLength(200);
            order.Property(o => o.Total).HasPrecision(12, 2);
            order.Property(o => o.Note).HasMaxLength(500);
        });
    }
}
