using System.Reflection;
using Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Tests;

/// <summary>The migration ids of each context, as EF Core finds them in the data assembly.</summary>
public static class Migrations
{
    /// <summary>The orders' migrations, in order.</summary>
    public static readonly IReadOnlyList<string> Orders = Of<OrdersDbContext>();

    /// <summary>The accounts' migrations, in order.</summary>
    public static readonly IReadOnlyList<string> Accounts = Of<AccountsDbContext>();

    private static string[] Of<TContext>() =>
    [
        .. typeof(TContext).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<DbContextAttribute>()?.ContextType == typeof(TContext))
            .Select(t => t.GetCustomAttribute<MigrationAttribute>()?.Id)
            .OfType<string>()
            .Order(StringComparer.Ordinal),
    ];
}
