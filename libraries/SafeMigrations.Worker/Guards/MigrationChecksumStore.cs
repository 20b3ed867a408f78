using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace SafeMigrations.Worker;

/// <summary>
/// The checksums of applied migrations (<see cref="MigrationChecksum"/>), in a table next to EF Core's history
/// (<see cref="HistoryTables.Checksums"/>: <c>__EFMigrationsChecksums</c> next to the default history). Created by the
/// worker; the web app may not touch it.
/// </summary>
/// <remarks>
/// Every call runs on the worker's open session; those that write, under the migration lock. A migration's checksum is
/// written with its history row, in its transaction (<see cref="ChecksummedHistoryRepository"/>); what is written here
/// is the adoption of a database without checksums and <c>--repair</c>.
/// </remarks>
internal static class MigrationChecksumStore
{
    /// <summary>The table's name next to EF Core's default history table.</summary>
    public const string TableName = "__EFMigrationsChecksums";

    /// <summary>The table, quoted and in the history table's schema when the context sets one.</summary>
    private static string Table(DbContext context) => HistoryTables.Checksums(context);

    /// <summary>Creates the table when it is missing.</summary>
    public static Task CreateIfNotExistsAsync(DbContext context, CancellationToken cancellationToken) =>
        ExecuteAsync(context, CreateSql(Table(context)), cancellationToken);

    /// <summary>The statement that creates <paramref name="table"/> when it is missing (no terminator).</summary>
    public static string CreateSql(string table) =>
        $"""
        CREATE TABLE IF NOT EXISTS {table} (
            "MigrationId" character varying(150) PRIMARY KEY,
            "Checksum" character(64) NOT NULL,
            "RecordedAt" timestamp with time zone NOT NULL DEFAULT now())
        """;

    /// <summary>The statement that records (or replaces) a checksum; <paramref name="id"/> and <paramref name="checksum"/> are SQL (literals or parameters).</summary>
    public static string RecordSql(string table, string id, string checksum) =>
        $"""
        INSERT INTO {table} ("MigrationId", "Checksum") VALUES ({id}, {checksum})
        ON CONFLICT ("MigrationId") DO UPDATE SET "Checksum" = EXCLUDED."Checksum", "RecordedAt" = now()
        """;

    /// <summary>The statement that forgets the checksums whose id matches <paramref name="idCondition"/> (<c>= 'id'</c>, say).</summary>
    public static string ForgetSql(string table, string idCondition) => $"""DELETE FROM {table} WHERE "MigrationId" {idCondition}""";

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

    /// <summary>Records (or replaces) the checksums of <paramref name="checksums"/>' migrations, already applied.</summary>
    public static async Task RecordAsync(DbContext context, IReadOnlyDictionary<string, string> checksums, CancellationToken cancellationToken)
    {
        foreach (var (id, checksum) in checksums)
        {
            await ExecuteAsync(context, RecordSql(Table(context), "@id", "@checksum"), cancellationToken, ("id", id), ("checksum", checksum));
        }
    }

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
