using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace SafeMigrations.Worker;

/// <summary>
/// The schema as the database has it, from PostgreSQL's catalog: the same shape as <see cref="MigratedSchema"/>, for
/// the schemas the model uses (and the default one). Read-only, a handful of catalog queries.
/// </summary>
internal static class LiveSchema
{
    private const string Tables = """
        SELECT n.nspname::text, c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname = ANY (@schemas)
        """;

    private const string Columns = """
        SELECT n.nspname::text, c.relname::text, a.attname::text, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull,
               CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END, a.attidentity <> '', a.attgenerated <> ''
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname = ANY (@schemas) AND a.attnum > 0 AND NOT a.attisdropped
        """;

    // Indexes that back no primary key, unique or exclusion constraint (those are compared as constraints). A foreign key's
    // conindid is the referenced key's index, hence the contype filter.
    private const string Indexes = """
        SELECT n.nspname::text, t.relname::text, ic.relname::text, i.indisunique,
               coalesce((SELECT string_agg(a.attname, ', ' ORDER BY k.o) FROM unnest(i.indkey[0:i.indnkeyatts - 1]) WITH ORDINALITY k(num, o)
                         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.num), ''),
               i.indpred IS NOT NULL, i.indisvalid, 0 = ANY (i.indkey[0:i.indnkeyatts - 1])
        FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = ANY (@schemas) AND t.relkind IN ('r', 'p')
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))
        """;

    private const string Constraints = """
        SELECT n.nspname::text, t.relname::text, k.conname::text, k.contype::text,
               coalesce((SELECT string_agg(a.attname, ', ' ORDER BY c.o) FROM unnest(k.conkey) WITH ORDINALITY c(num, o)
                         JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = c.num), ''),
               rn.nspname::text, r.relname::text,
               coalesce((SELECT string_agg(a.attname, ', ' ORDER BY c.o) FROM unnest(k.confkey) WITH ORDINALITY c(num, o)
                         JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = c.num), ''),
               k.confdeltype::text, k.convalidated
        FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
        LEFT JOIN pg_class r ON r.oid = k.confrelid LEFT JOIN pg_namespace rn ON rn.oid = r.relnamespace
        WHERE k.contype IN ('p', 'u', 'f', 'c') AND n.nspname = ANY (@schemas) AND t.relkind IN ('r', 'p')
        """;

    // Identity and serial columns own their sequences (pg_depend 'i' and 'a'): those are part of the column.
    private const string Sequences = """
        SELECT n.nspname::text, c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'S' AND n.nspname = ANY (@schemas)
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i'))
        """;

    /// <summary>The live schema in <paramref name="schemas"/>, and the indexes PostgreSQL marks invalid (a failed concurrent build).</summary>
    public static async Task<(SchemaShape Shape, IReadOnlyList<string> InvalidIndexes, IReadOnlyList<string> UnvalidatedConstraints)> ReadAsync(
        DbContext context, IReadOnlyCollection<string> schemas, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)context.Database.GetDbConnection();
        var names = schemas.ToArray();
        var columns = new Dictionary<string, Dictionary<string, ColumnShape>>();
        var indexes = new Dictionary<string, Dictionary<string, IndexShape>>();
        var constraints = new Dictionary<string, Dictionary<string, ConstraintShape>>();
        var tables = new Dictionary<string, (string Schema, string Name)>();
        var invalid = new List<string>();
        var unvalidated = new List<string>();

        await ReadAsync(connection, Tables, names, r => tables[DriftNames.Table(r.GetString(0), r.GetString(1))] = (r.GetString(0), r.GetString(1)), cancellationToken);
        await ReadAsync(connection, Columns, names, r =>
        {
            var identity = r.GetBoolean(6);
            var defaultValue = r.IsDBNull(5) ? null : r.GetString(5);
            var sequence = defaultValue?.StartsWith("nextval(", StringComparison.OrdinalIgnoreCase) == true;
            var generation = identity ? DriftNames.Identity : sequence ? DriftNames.Sequence : r.GetBoolean(7) ? DriftNames.Computed : null;
            Of(columns, r)[r.GetString(2)] = new(StoreTypes.Normalize(r.GetString(3)), r.GetBoolean(4),
                generation is null && defaultValue is not null ? StoreTypes.Default(defaultValue) : null, generation);
        }, cancellationToken);
        await ReadAsync(connection, Indexes, names, r =>
        {
            Of(indexes, r)[r.GetString(2)] = new(r.GetBoolean(3), r.GetBoolean(7) ? "" : r.GetString(4), r.GetBoolean(5));
            if (!r.GetBoolean(6))
            {
                invalid.Add($"{DriftNames.Table(r.GetString(0), r.GetString(1))}.{r.GetString(2)}");
            }
        }, cancellationToken);
        await ReadAsync(connection, Constraints, names, r =>
        {
            var kind = r.GetString(3) switch { "p" => DriftNames.PrimaryKey, "u" => DriftNames.Unique, "f" => DriftNames.ForeignKey, _ => DriftNames.Check };
            var definition = kind switch
            {
                DriftNames.ForeignKey => DriftNames.ForeignKeyDefinition(r.GetString(4).Split(", "), DriftNames.Table(r.GetString(5), r.GetString(6)),
                    r.GetString(7).Split(", "), r.GetString(8) switch { "c" => "CASCADE", "n" => "SET NULL", "d" => "SET DEFAULT", "r" => "RESTRICT", _ => "NO ACTION" }),
                DriftNames.Check => "",
                _ => r.GetString(4),
            };
            Of(constraints, r)[r.GetString(2)] = new(kind, definition);
            if (!r.GetBoolean(9))
            {
                unvalidated.Add($"{DriftNames.Table(r.GetString(0), r.GetString(1))}.{r.GetString(2)}");
            }
        }, cancellationToken);
        var sequences = new HashSet<string>();
        await ReadAsync(connection, Sequences, names, r => sequences.Add(DriftNames.Table(r.GetString(0), r.GetString(1))), cancellationToken);

        var shapes = tables.ToDictionary(t => t.Key, t => new TableShape(t.Value.Schema, t.Value.Name,
            columns.GetValueOrDefault(t.Key) ?? [], indexes.GetValueOrDefault(t.Key) ?? [], constraints.GetValueOrDefault(t.Key) ?? []));
        return (new(shapes, sequences), invalid, unvalidated);
    }

    private static Dictionary<string, T> Of<T>(Dictionary<string, Dictionary<string, T>> byTable, NpgsqlDataReader row)
    {
        var table = DriftNames.Table(row.GetString(0), row.GetString(1));
        if (!byTable.TryGetValue(table, out var members))
        {
            byTable[table] = members = [];
        }

        return members;
    }

    private static async Task ReadAsync(NpgsqlConnection connection, string sql, string[] schemas, Action<NpgsqlDataReader> read,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("schemas", schemas);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            read(reader);
        }
    }
}
