using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace SafeMigrations.Worker;

/// <summary>What <c>--plan</c> knows of a live table: its rows (PostgreSQL's estimate), its size and its indexes.</summary>
/// <param name="Rows">
/// <c>pg_class.reltuples</c>, the planner's estimate kept by VACUUM and ANALYZE; a table never analyzed (-1) is counted.
/// </param>
/// <param name="Bytes">Its size with indexes and TOAST (<c>pg_total_relation_size</c>).</param>
/// <param name="Indexes">How many indexes it has (a rewrite rebuilds each).</param>
internal sealed record TableStatistics(double Rows, long Bytes, int Indexes)
{
    private const string Read = """
        SELECT c.reltuples::float8, pg_total_relation_size(c.oid), (SELECT count(*)::int FROM pg_index i WHERE i.indrelid = c.oid)
        FROM pg_class c WHERE c.oid = to_regclass(@table)
        """;

    /// <summary>The statistics of <paramref name="quotedTable"/>; null when it does not exist (yet).</summary>
    public static async Task<TableStatistics?> ReadAsync(DbContext context, string quotedTable, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)context.Database.GetDbConnection();
        await using var command = new NpgsqlCommand(Read, connection);
        command.Parameters.AddWithValue("table", quotedTable);
        TableStatistics statistics;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            statistics = new(reader.GetDouble(0), reader.GetInt64(1), reader.GetInt32(2));
        }

        if (statistics.Rows >= 0)
        {
            return statistics;
        }

        // Never vacuumed or analyzed: count (under the statement timeout, like every query of the worker).
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM {quotedTable}", connection);
        return statistics with { Rows = (long)(await count.ExecuteScalarAsync(cancellationToken))! };
    }

    /// <summary>The schema (null for <c>public</c>) and table of index <paramref name="quotedIndex"/>; null when it does not exist.</summary>
    public static async Task<(string? Schema, string Table)?> TableOfIndexAsync(DbContext context, string quotedIndex, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT n.nspname::text, t.relname::text FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE i.indexrelid = to_regclass(@index)
            """, (NpgsqlConnection)context.Database.GetDbConnection());
        command.Parameters.AddWithValue("index", quotedIndex);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetString(0) == "public" ? null : reader.GetString(0), reader.GetString(1)) : null;
    }
}
