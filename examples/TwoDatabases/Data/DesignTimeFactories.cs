using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Data;

/// <summary>
/// Let <c>dotnet ef</c> build each context without the AppHost. Adding a migration needs no database; commands that do
/// read <c>ConnectionStrings__ordersdb</c> or <c>ConnectionStrings__accountsdb</c>.
/// </summary>
public sealed class OrdersDesignTimeFactory : IDesignTimeDbContextFactory<OrdersDbContext>
{
    /// <inheritdoc />
    public OrdersDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<OrdersDbContext>().UseNpgsql(DesignTimeConnection.For("ordersdb")).Options);
}

/// <inheritdoc cref="OrdersDesignTimeFactory" />
public sealed class AccountsDesignTimeFactory : IDesignTimeDbContextFactory<AccountsDbContext>
{
    /// <inheritdoc />
    public AccountsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<AccountsDbContext>().UseNpgsql(DesignTimeConnection.For("accountsdb")).Options);
}

internal static class DesignTimeConnection
{
    public static string For(string name) =>
        Environment.GetEnvironmentVariable($"ConnectionStrings__{name}") is { Length: > 0 } configured
            ? configured
            : $"Host=localhost;Port=5432;Database={name};Username=postgres";
}
