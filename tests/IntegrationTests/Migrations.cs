using Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using SafeMigrations.Worker;

namespace IntegrationTests;

/// <summary>The migrations of this build, oldest first, read from the migrations assembly the way the worker reads them.</summary>
public static class Migrations
{
    /// <summary>Full ids (<c>&lt;timestamp&gt;_&lt;Name&gt;</c>).</summary>
    public static IReadOnlyList<string> Ids { get; } = Read();

    /// <summary>Names, without the timestamp: what history assertions compare.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Ids.Select(NameOf)];

    /// <summary>
    /// A migration id no build of this repository has: what the history of a database holds once a newer release migrated
    /// it (written into the history by tests, with no schema change).
    /// </summary>
    public const string FromANewerRelease = "29991231235959_FromANewerRelease";

    /// <summary>Records <see cref="FromANewerRelease"/> as applied, as the newer release would have.</summary>
    public static string RecordNewerReleaseSql => $"""INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion") VALUES ('{FromANewerRelease}', '10.0.0')""";

    /// <summary>The name part of a migration id.</summary>
    public static string NameOf(string id) => id[(id.IndexOf('_') + 1)..];

    /// <summary>
    /// The idempotent SQL EF Core generates for the migrations after <paramref name="from"/> (none: from the start) up to
    /// <paramref name="to"/> (none: the latest), with EF Core's own history: what a release before the worker applied.
    /// </summary>
    public static string IdempotentScript(string? from, string? to = null)
    {
        using var context = new DesignTimeDbContextFactory().CreateDbContext([]);
        return context.GetService<IMigrator>().GenerateScript(fromMigration: from, toMigration: to, MigrationsSqlGenerationOptions.Idempotent);
    }

    /// <summary>
    /// What <c>--script</c> prints for the migrations after <paramref name="from"/> (up to <paramref name="to"/>; none: the
    /// latest, as <c>--script</c> does): EF Core's idempotent script with the worker's history, in which each migration
    /// records its checksum, after the history's and checksums' tables.
    /// </summary>
    public static string WorkerScript(string from, string? to = null)
    {
        var options = new DbContextOptionsBuilder<AppDbContext>().UseNpgsql("Host=localhost;Database=appdb");
        ChecksummedHistoryRepository.Use(options);
        using var context = new AppDbContext(options.Options);
        return context.GetService<IHistoryRepository>().GetCreateIfNotExistsScript()
               + context.GetService<IMigrator>().GenerateScript(fromMigration: from, toMigration: to, MigrationsSqlGenerationOptions.Idempotent);
    }

    private static List<string> Read()
    {
        // The design-time factory builds the context without connecting.
        using var context = new DesignTimeDbContextFactory().CreateDbContext([]);
        return [.. context.Database.GetMigrations()];
    }
}
