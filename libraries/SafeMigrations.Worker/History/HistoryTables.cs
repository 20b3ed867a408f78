using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace SafeMigrations.Worker;

/// <summary>
/// The worker's tables next to EF Core's migrations history: the history itself, the checksums
/// (<see cref="MigrationChecksumStore"/>) and the migration lock (<see cref="MigrationLock"/>), all in the history's schema.
/// </summary>
public static class HistoryTables
{
    /// <summary>The history table as EF Core names it: <c>__EFMigrationsHistory</c> unless the context configures another.</summary>
    public static string History(DbContext context) =>
        Qualified(context, Options(context).MigrationsHistoryTableName ?? HistoryRepository.DefaultTableName);

    /// <summary><paramref name="table"/>, quoted, in the history table's schema when the context sets one (else unqualified, as EF Core leaves the history).</summary>
    public static string Qualified(DbContext context, string table) =>
        (Schema(context) is { } schema ? RoleSetupCommands.Quote(schema) + "." : "") + RoleSetupCommands.Quote(table);

    /// <summary>The history's schema when the context sets one; null: the first schema of the search path (<c>public</c>).</summary>
    public static string? Schema(DbContext context) => Options(context).MigrationsHistoryTableSchema;

    private static RelationalOptionsExtension Options(DbContext context) =>
        RelationalOptionsExtension.Extract(context.GetService<IDbContextOptions>());
}
