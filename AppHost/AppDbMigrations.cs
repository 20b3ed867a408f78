using System.Reflection;
using Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace AppHost;

/// <summary>
/// The migrations of this build's <see cref="AppDbContext"/>: the choices of the "Migrate to…" command, and a clear
/// answer to an unknown target before any process starts.
/// </summary>
/// <remarks>
/// Read from the Data project the worker is built from (a library reference, not a resource): the same ids, and the same
/// resolution of a name, as the worker's. Weighed and not taken: asking the worker (<c>--list</c>) needs a database and a
/// process start per dialog; MSBuild globbing <c>Data/Migrations</c> would trust file names, not the <c>[Migration]</c> ids.
/// </remarks>
internal static class AppDbMigrations
{
    /// <summary>The target that reverts every migration (EF Core's <see cref="Migration.InitialDatabase"/>).</summary>
    public const string RevertAll = Migration.InitialDatabase;

    /// <summary>Full ids (<c>&lt;timestamp&gt;_&lt;Name&gt;</c>), oldest first.</summary>
    /// <remarks>
    /// Read from the migrations' attributes as EF Core's own <c>MigrationsAssembly</c> does, rather than through a context:
    /// building EF Core's services costs the AppHost's start-up most of a second, for a list the dashboard may never show.
    /// </remarks>
    public static IReadOnlyList<string> Ids { get; } = [.. typeof(AppDbContext).Assembly.GetTypes()
        .Where(type => type.GetCustomAttribute<DbContextAttribute>()?.ContextType == typeof(AppDbContext))
        .Select(type => type.GetCustomAttribute<MigrationAttribute>()?.Id)
        .OfType<string>()
        .Order(StringComparer.Ordinal)];

    /// <summary>
    /// The id <paramref name="target"/> names (full id or name, any case), <see cref="RevertAll"/>, or null when unknown:
    /// EF Core's own resolution, as the worker's <c>--target</c> uses it.
    /// </summary>
    public static string? Resolve(string target)
    {
        if (target == RevertAll)
        {
            return RevertAll;
        }

        using var context = CreateContext();
        return context.GetService<IMigrationsAssembly>().FindMigrationId(target);
    }

    /// <summary>The line the worker prints for an unknown target, word for word.</summary>
    public static string UnknownTargetMessage(string target) =>
        $"Unknown target migration '{target}' for {nameof(AppDbContext)}. Valid targets: {RevertAll} (revert all), {string.Join(", ", Ids)}.";

    // A context that never connects: resolving a migration reads only the assembly.
    private static AppDbContext CreateContext() =>
        new(new DbContextOptionsBuilder<AppDbContext>().UseNpgsql().Options);
}
