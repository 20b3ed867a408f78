using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace SafeMigrations.Worker;

/// <summary>
/// The worker's tables next to a context's EF Core migrations history, all in the history's schema: the history itself,
/// the checksums of its migrations (<see cref="MigrationChecksumStore"/>), and the migration lock
/// (<see cref="MigrationLock"/>). Two contexts on one database each have their own history, and so their own checksums;
/// contexts whose histories share a schema share its lock, so their runs (role setups included) take turns.
/// </summary>
internal static class HistoryTables
{
    /// <summary>The history table as EF Core names it: <c>__EFMigrationsHistory</c> unless the context configures another.</summary>
    public static string History(DbContext context) => Qualified(context, HistoryName(context));

    /// <summary>
    /// The checksums' table: the history's name with <c>History</c> replaced by <c>Checksums</c>
    /// (<c>__EFMigrationsChecksums</c> by default), or with <c>_Checksums</c> added when it does not end so.
    /// </summary>
    public static string Checksums(DbContext context) => Qualified(context, Beside(HistoryName(context), "Checksums"));

    /// <summary>The history and checksums of <paramref name="context"/>.</summary>
    public static WorkerTables Of(DbContext context) => new(History(context), Checksums(context));

    /// <summary><paramref name="table"/>, quoted, in the history table's schema when the context sets one (else unqualified, as EF Core leaves the history).</summary>
    public static string Qualified(DbContext context, string table) =>
        (Schema(context) is { } schema ? PostgresIdentifier.Quote(schema) + "." : "") + PostgresIdentifier.Quote(table);

    /// <summary>The schema of the worker's tables (<c>public</c> unless the context sets one) and their names, unquoted: history, checksums, lock.</summary>
    public static (string Schema, string[] Tables) Unquoted(DbContext context) =>
        (Schema(context) ?? "public", [HistoryName(context), Beside(HistoryName(context), "Checksums"), MigrationLock.TableName]);

    /// <summary>The history's schema when the context sets one; null: the first schema of the search path (<c>public</c>).</summary>
    public static string? Schema(DbContext context) => Options(context).MigrationsHistoryTableSchema;

    private static string HistoryName(DbContext context) => Options(context).MigrationsHistoryTableName ?? HistoryRepository.DefaultTableName;

    private static string Beside(string history, string what) =>
        history.EndsWith("History", StringComparison.Ordinal) ? history[..^"History".Length] + what : $"{history}_{what}";

    private static RelationalOptionsExtension Options(DbContext context) =>
        RelationalOptionsExtension.Extract(context.GetService<IDbContextOptions>());
}

/// <summary>A context's history and checksums tables, quoted and qualified as in <see cref="HistoryTables"/>.</summary>
/// <param name="History">The migrations history: the web role may read it (readiness), not write it.</param>
/// <param name="Checksums">The checksums: the web role may not touch them.</param>
internal sealed record WorkerTables(string History, string Checksums);
