using System.Globalization;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace SafeMigrations.Schema.Sql;

/// <summary>
/// EF Core's typed migration operations read as <see cref="SqlReader"/> reads statements: drops, retypes, deleted and
/// updated seed data, and the SQL of <c>migrationBuilder.Sql(…)</c>. An operation type it does not know is unclassified.
/// </summary>
internal static class OperationReader
{
    // Npgsql's annotation for an extension on the database (NpgsqlAnnotationNames.PostgresExtensionPrefix).
    private const string ExtensionPrefix = "Npgsql:PostgresExtension:";

    /// <summary>What each operation does, in order (an Sql operation gives one reading per statement).</summary>
    public static IEnumerable<StatementReading> Read(MigrationOperation operation)
    {
        var name = operation.GetType().Name.Replace("Operation", "");
        var reading = new StatementReading(name);
        switch (operation)
        {
            case SqlOperation o:
                return SqlReader.Read(o.Sql);
            case DropTableOperation o:
                var table = new SqlName(o.Schema, o.Name);
                reading.Changed.Add(o.Name);
                reading.Losses.Add(Loss(DataLossKind.DropTable, table.ToString(), name, CountSql.Rows(table), o.Name));
                break;
            case DropColumnOperation o:
                reading.Changed.Add(o.Table);
                reading.Losses.Add(Loss(DataLossKind.DropColumn, $"{new SqlName(o.Schema, o.Table)}.{o.Name}", name,
                    CountSql.Values(new SqlName(o.Schema, o.Table), o.Name), o.Table));
                break;
            case AlterColumnOperation o:
                AlterColumn(o, reading);
                break;
            case DeleteDataOperation o:
                DeleteData(o, reading);
                break;
            case UpdateDataOperation o:
                UpdateData(o, reading);
                break;
            case AddColumnOperation o:
                reading.Changed.Add(o.Table);
                reading.AddedColumns.Add($"{o.Table}.{o.Name}");
                break;
            case CreateTableOperation o:
                reading.Changed.Add(o.Name);
                break;
            case InsertDataOperation o:
                reading.Changed.Add(o.Table);
                break;
            case RenameTableOperation o:
                reading.Renamed.UnionWith([o.Name, o.NewName ?? o.Name]);
                break;
            case RenameColumnOperation o:
                reading.Renamed.Add(o.Table);
                reading.Changed.Add(o.Table);
                break;
            case AlterDatabaseOperation o when o.OldDatabase.GetAnnotations().Any(a =>
                a.Name.StartsWith(ExtensionPrefix, StringComparison.Ordinal) && o.FindAnnotation(a.Name) is null):
                reading.Refuse("removes an extension, whose scripts and tables the reader cannot see");
                break;
            case CreateIndexOperation or DropIndexOperation or RenameIndexOperation or AddForeignKeyOperation
                or DropForeignKeyOperation or AddPrimaryKeyOperation or DropPrimaryKeyOperation or AddUniqueConstraintOperation
                or DropUniqueConstraintOperation or AddCheckConstraintOperation or DropCheckConstraintOperation
                or CreateSequenceOperation or AlterSequenceOperation or RestartSequenceOperation or DropSequenceOperation
                or RenameSequenceOperation or EnsureSchemaOperation or DropSchemaOperation or AlterTableOperation
                or AlterDatabaseOperation:
                break; // no data goes (a schema is dropped only when empty: RESTRICT)
            default:
                reading.Refuse($"is an operation the reader does not know ({name})");
                break;
        }

        return [reading];
    }

    private static void AlterColumn(AlterColumnOperation o, StatementReading reading)
    {
        var table = new SqlName(o.Schema, o.Table);
        var target = $"{table}.{o.Name}";
        if (SchemaChanges.ChangesType(o))
        {
            reading.Changed.Add(o.Table);
            reading.Losses.Add(Loss(DataLossKind.ChangeColumnType, target, "AlterColumn", CountSql.Values(table, o.Name), o.Table));
        }
        else if (o.OldColumn.ComputedColumnSql is null && o.ComputedColumnSql is not null)
        {
            // Npgsql makes a stored column computed by dropping it and adding it back: its values go.
            reading.Changed.Add(o.Table);
            reading.Losses.Add(Loss(DataLossKind.DropColumn, target, "AlterColumn", CountSql.Values(table, o.Name), o.Table));
        }
    }

    private static void DeleteData(DeleteDataOperation o, StatementReading reading)
    {
        var table = new SqlName(o.Schema, o.Table);
        var keys = KeyCondition(o.KeyColumns, o.KeyValues);
        reading.Changed.Add(o.Table);
        reading.Losses.Add(new(new DataLoss(DataLossKind.DeleteRows, table.ToString(), "DeleteData",
            keys is null ? null : $"SELECT count(*) FROM {table.Quoted} WHERE {keys}",
            keys is null ? NotWritable : null, false), new HashSet<string> { o.Table }));
    }

    private static void UpdateData(UpdateDataOperation o, StatementReading reading)
    {
        var table = new SqlName(o.Schema, o.Table);
        var keys = KeyCondition(o.KeyColumns, o.KeyValues);
        var holdsValue = string.Join(" OR ", o.Columns.Select(c => $"{PostgresIdentifier.Quote(c)} IS NOT NULL"));
        reading.Changed.Add(o.Table);
        reading.Losses.Add(new(new DataLoss(DataLossKind.OverwriteValues, string.Join(", ", o.Columns.Select(c => $"{table}.{c}")), "UpdateData",
            keys is null ? null : $"SELECT count(*) FROM {table.Quoted} WHERE ({holdsValue}) AND ({keys})",
            keys is null ? NotWritable : null, false), new HashSet<string> { o.Table }, [.. o.Columns.Select(c => $"{o.Table}.{c}")]));
    }

    private const string NotWritable = "its key values are of a type the reader does not write as SQL";

    /// <summary><c>("Id" = 1) OR ("Id" = 2)</c>; null when a key value is of a type not written here.</summary>
    private static string? KeyCondition(string[] columns, object?[,] values)
    {
        var rows = new List<string>();
        for (var row = 0; row < values.GetLength(0); row++)
        {
            var parts = new List<string>();
            for (var column = 0; column < columns.Length; column++)
            {
                if (Literal(values[row, column]) is not { } literal)
                {
                    return null;
                }

                var name = PostgresIdentifier.Quote(columns[column]);
                parts.Add(literal == "NULL" ? $"{name} IS NULL" : $"{name} = {literal}");
            }

            rows.Add("(" + string.Join(" AND ", parts) + ")");
        }

        return rows.Count == 0 ? "false" : string.Join(" OR ", rows);
    }

    /// <summary>A key value as SQL, for the types keys have; null for others (dates with a time zone question, enums, …).</summary>
    private static string? Literal(object? value) => value switch
    {
        null => "NULL",
        string s => PostgresIdentifier.Literal(s),
        bool b => b ? "true" : "false",
        Guid g => PostgresIdentifier.Literal(g.ToString()),
        DateOnly d => PostgresIdentifier.Literal(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        byte or sbyte or short or ushort or int or uint or long or ulong or decimal =>
            Convert.ToString(value, CultureInfo.InvariantCulture),
        _ => null,
    };

    private static PendingLoss Loss(DataLossKind kind, string target, string statement, string countSql, string table) =>
        new(new DataLoss(kind, target, statement, countSql, null, true), new HashSet<string> { table });
}
