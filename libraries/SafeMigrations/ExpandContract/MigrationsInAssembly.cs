using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace SafeMigrations.ExpandContract;

/// <summary>
/// The migrations EF Core finds in an assembly, for every context there, built without a context or a database.
/// </summary>
/// <remarks>
/// EF Core's own lookup (<c>IMigrationsAssembly</c>) needs a configured context per context type; this reads the same
/// attributes it reads: a constructible <see cref="Migration"/> with <see cref="DbContextAttribute"/> and
/// <see cref="MigrationAttribute"/> (EF Core skips one without an id, and so does this).
/// </remarks>
internal static class MigrationsInAssembly
{
    // What EF Core sets as the active provider when it creates a migration for an Npgsql context.
    private static readonly string Provider = typeof(NpgsqlMigrationBuilderExtensions).Assembly.GetName().Name!;

    /// <summary>Every migration of every context in <paramref name="assembly"/>, by id (oldest first).</summary>
    public static IReadOnlyList<(string Id, Migration Migration)> Of(Assembly assembly) =>
    [
        .. assembly.DefinedTypes
            .Where(t => !t.IsAbstract && !t.IsGenericTypeDefinition && t.IsSubclassOf(typeof(Migration))
                && t.GetCustomAttribute<DbContextAttribute>() is not null)
            .Select(t => (Id: t.GetCustomAttribute<MigrationAttribute>()?.Id, Type: t))
            .Where(m => m.Id is not null)
            .OrderBy(m => m.Id, StringComparer.Ordinal)
            .Select(m => (m.Id!, Create(m.Type))),
    ];

    /// <summary>As EF Core's <c>IMigrationsAssembly.CreateMigration</c> does it.</summary>
    private static Migration Create(Type type)
    {
        var migration = (Migration)Activator.CreateInstance(type)!;
        migration.ActiveProvider = Provider;
        return migration;
    }
}
