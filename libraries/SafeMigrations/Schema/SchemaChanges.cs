using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace SafeMigrations.Schema;

/// <summary>
/// Reads the schema changes out of a migration's operations: EF Core's typed operations, and the SQL of
/// <c>migrationBuilder.Sql(…)</c> (<see cref="SqlSchemaChanges"/>). Shared by the expand/contract check and the
/// down-migration data-loss check, so both see a migration the same way.
/// </summary>
public static class SchemaChanges
{
    // Npgsql's annotations (NpgsqlAnnotationNames): an index built concurrently, a column filled by identity/serial.
    private const string CreatedConcurrently = "Npgsql:CreatedConcurrently";
    private const string ValueGenerationStrategy = "Npgsql:ValueGenerationStrategy";

    /// <summary>The changes <paramref name="operations"/> make, in order. Operations the guards do not care about give none.</summary>
    /// <param name="operations">A migration's operations.</param>
    public static IReadOnlyList<SchemaChange> Of(IEnumerable<MigrationOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        return [.. operations.SelectMany(Of)];
    }

    /// <summary>The changes of <paramref name="migration"/>'s Up (<paramref name="down"/>: its Down).</summary>
    /// <param name="migration">The migration, with its <see cref="Migration.ActiveProvider"/> set as EF Core sets it.</param>
    /// <param name="down">Read its Down instead of its Up.</param>
    public static IReadOnlyList<SchemaChange> Of(Migration migration, bool down = false)
    {
        ArgumentNullException.ThrowIfNull(migration);
        return Of(down ? migration.DownOperations : migration.UpOperations);
    }

    private static IEnumerable<SchemaChange> Of(MigrationOperation operation)
    {
        var name = operation.GetType().Name.Replace("Operation", "");
        switch (operation)
        {
            case CreateTableOperation o:
                yield return new(SchemaChangeKind.CreateTable, o.Schema, o.Name, null, name);
                break;
            case DropTableOperation o:
                yield return new(SchemaChangeKind.DropTable, o.Schema, o.Name, null, name);
                break;
            case RenameTableOperation o:
                yield return new(SchemaChangeKind.RenameTable, o.Schema, o.Name, null, name);
                break;
            case AddColumnOperation o:
                yield return new(SchemaChangeKind.AddColumn, o.Schema, o.Table, o.Name, name);
                if (HasDefault(o))
                {
                    yield return new(SchemaChangeKind.SetDefault, o.Schema, o.Table, o.Name, name);
                }

                if (!o.IsNullable)
                {
                    yield return new(SchemaChangeKind.SetNotNull, o.Schema, o.Table, o.Name, name);
                }

                break;
            case DropColumnOperation o:
                yield return new(SchemaChangeKind.DropColumn, o.Schema, o.Table, o.Name, name);
                break;
            case RenameColumnOperation o:
                yield return new(SchemaChangeKind.RenameColumn, o.Schema, o.Table, o.Name, name);
                break;
            case AlterColumnOperation o:
                if (ChangesType(o))
                {
                    yield return new(SchemaChangeKind.ChangeColumnType, o.Schema, o.Table, o.Name, name);
                }

                if (HasDefault(o) && (!Equals(o.DefaultValue, o.OldColumn.DefaultValue) || o.DefaultValueSql != o.OldColumn.DefaultValueSql))
                {
                    yield return new(SchemaChangeKind.SetDefault, o.Schema, o.Table, o.Name, name);
                }

                if (o.OldColumn.IsNullable && !o.IsNullable)
                {
                    yield return new(SchemaChangeKind.SetNotNull, o.Schema, o.Table, o.Name, name);
                }

                break;
            case CreateIndexOperation o:
                var concurrently = o[CreatedConcurrently] is true;
                yield return new(concurrently ? SchemaChangeKind.CreateIndexConcurrently : SchemaChangeKind.CreateIndex,
                    o.Schema, o.Table, null, name);
                break;
            case SqlOperation o:
                foreach (var change in SqlSchemaChanges.Of(o.Sql))
                {
                    yield return change;
                }

                break;
        }
    }

    /// <summary>Whether the column gets another store or CLR type (PostgreSQL rewrites it, converting each value).</summary>
    internal static bool ChangesType(AlterColumnOperation column) =>
        !string.Equals(column.ColumnType, column.OldColumn.ColumnType, StringComparison.OrdinalIgnoreCase) || column.ClrType != column.OldColumn.ClrType;

    private static bool HasDefault(ColumnOperation column) =>
        column.DefaultValue is not null || column.DefaultValueSql is not null || column.ComputedColumnSql is not null
        || column[ValueGenerationStrategy] is { } strategy && strategy.ToString() != "None";
}
