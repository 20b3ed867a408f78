using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace SafeMigrations.Worker;

/// <summary>
/// The checksums of applied migrations (<see cref="MigrationChecksum"/>), in a table next to EF Core's history
/// (<see cref="HistoryTables.Checksums"/>: <c>__EFMigrationsChecksums</c> next to the default history). Created by the
/// worker; the web app may not touch it.
/// </summary>
/// <remarks>Every call runs on the worker's open session; those that write, under the migration lock.</remarks>
internal static class MigrationChecksumStore
{
    /// <summary>The table's name next to EF Core's default history table.</summary>
    public const string TableName = "__EFMigrationsChecksums";

    /// <summary>The table, quoted and in the history table's schema when the context sets one.</summary>
    private static string Table(DbContext context) => HistoryTables.Checksums(context);

    /// <summary>Creates the table when it is missing.</summary>
    public static Task CreateIfNotExistsAsync(DbContext context, CancellationToken cancellationToken) => ExecuteAsync(context,
        $"""
        CREATE TABLE IF NOT EXISTS {Table(context)} (
            "MigrationId" character varying(150) PRIMARY KEY,
            "Checksum" character(64) NOT NULL,
            "RecordedAt" timestamp with time zone NOT NULL DEFAULT now())
        """, cancellationToken);

    /// <summary>Whether the table exists (a database migrated before checksums existed has none).</summary>
    public static async Task<bool> ExistsAsync(DbContext context, CancellationToken cancellationToken)
    {
        await using var command = Command(context, "SELECT to_regclass(@table) IS NOT NULL", ("table", Table(context)));
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The recorded checksum of each migration that has one.</summary>
    public static async Task<Dictionary<string, string>> ReadAsync(DbContext context, CancellationToken cancellationToken)
    {
        await using var command = Command(context, $"""SELECT "MigrationId", "Checksum" FROM {Table(context)}""");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var recorded = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (await reader.ReadAsync(cancellationToken))
        {
            recorded[reader.GetString(0)] = reader.GetString(1);
        }

        return recorded;
    }

    /// <summary>Records (or replaces) the checksums of <paramref name="checksums"/>' migrations.</summary>
    public static async Task RecordAsync(DbContext context, IReadOnlyDictionary<string, string> checksums, CancellationToken cancellationToken)
    {
        foreach (var (id, checksum) in checksums)
        {
            await ExecuteAsync(context,
                $"""
                INSERT INTO {Table(context)} ("MigrationId", "Checksum") VALUES (@id, @checksum)
                ON CONFLICT ("MigrationId") DO UPDATE SET "Checksum" = EXCLUDED."Checksum", "RecordedAt" = now()
                """, cancellationToken, ("id", id), ("checksum", checksum));
        }
    }

    /// <summary>Forgets the checksums of reverted migrations: when applied again, they are recorded again.</summary>
    public static Task ForgetAsync(DbContext context, IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
        ids.Count == 0
            ? Task.CompletedTask
            : ExecuteAsync(context, $"""DELETE FROM {Table(context)} WHERE "MigrationId" = ANY(@ids)""", cancellationToken, ("ids", ids.ToArray()));

    private static async Task ExecuteAsync(DbContext context, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(context, sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlCommand Command(DbContext context, string sql, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, (NpgsqlConnection)context.Database.GetDbConnection());
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}
