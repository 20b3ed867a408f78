using Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace SafeMigrations.Worker.Tests;

/// <summary>Data's migrations, as EF Core finds them (so migrations added later are covered), built without a database.</summary>
internal static class DataMigrations
{
    /// <summary>Every migration, oldest first, with its id.</summary>
    public static IReadOnlyList<(string Id, Migration Migration)> All()
    {
        using var context = new DesignTimeDbContextFactory().CreateDbContext([]);
        var assembly = context.GetService<IMigrationsAssembly>();
        return [.. assembly.Migrations.Select(m => (m.Key, assembly.CreateMigration(m.Value, context.Database.ProviderName!)))];
    }

    /// <summary>The migration named <paramref name="name"/> (<c>AddDueDate</c>).</summary>
    public static (string Id, Migration Migration) Named(string name) => All().Single(m => m.Id.EndsWith("_" + name, StringComparison.Ordinal));
}
