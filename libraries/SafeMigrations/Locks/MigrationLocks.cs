using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using SafeMigrations.Schema;

namespace SafeMigrations.Locks;

/// <summary>
/// The table locks a migration's Up takes and what each step does to the rows meanwhile, from its operations and its
/// SQL (<see cref="SqlLocks"/>), with PostgreSQL's documented lock for each kind of statement. Steps on tables the
/// migration creates are left out: they hold no rows yet. The worker's <c>--plan</c> and its lock budget read it; an
/// integration test checks it against the locks PostgreSQL reports for every step of the solution's migrations.
/// </summary>
public static class MigrationLocks
{
    private const string CreatedConcurrently = "Npgsql:CreatedConcurrently";
    private const string ValueGenerationStrategy = "Npgsql:ValueGenerationStrategy";

    /// <summary>The steps of <paramref name="migration"/>'s Up, in order.</summary>
    public static IReadOnlyList<LockStep> Of(Migration migration)
    {
        ArgumentNullException.ThrowIfNull(migration);
        return Of(migration.UpOperations);
    }

    /// <summary>The steps of <paramref name="operations"/>, in order.</summary>
    public static IReadOnlyList<LockStep> Of(IEnumerable<MigrationOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var steps = new List<LockStep>();
        var created = new HashSet<string>(StringComparer.Ordinal);
        var sql = new SqlLocks();
        foreach (var operation in operations)
        {
            if (operation is CreateTableOperation table)
            {
                created.Add(table.Name);
                continue;
            }

            var found = operation is SqlOperation statement ? sql.Of(statement.Sql, created) : Of(operation);
            steps.AddRange(found.Where(s => !created.Contains(s.Table)));
        }

        return steps;
    }

    private static IEnumerable<LockStep> Of(MigrationOperation operation)
    {
        var name = operation.GetType().Name.Replace("Operation", "", StringComparison.Ordinal);
        LockStep Step(string? schema, string table, TableLockMode mode, TableWork work) => new(name, schema, table, mode, work);
        switch (operation)
        {
            case AddColumnOperation o:
                yield return Step(o.Schema, o.Table, TableLockMode.AccessExclusive, Rewrites(o) ? TableWork.Rewrite : TableWork.None);
                break;
            case AlterColumnOperation o when SchemaChanges.ChangesType(o):
                yield return Step(o.Schema, o.Table, TableLockMode.AccessExclusive, Widens(o) ? TableWork.None : TableWork.Rewrite);
                break;
            case AlterColumnOperation o:
                yield return Step(o.Schema, o.Table, TableLockMode.AccessExclusive, o.OldColumn.IsNullable && !o.IsNullable ? TableWork.Scan : TableWork.None);
                break;
            case CreateIndexOperation o:
                yield return o[CreatedConcurrently] is true
                    ? Step(o.Schema, o.Table, TableLockMode.ShareUpdateExclusive, TableWork.IndexBuild)
                    : Step(o.Schema, o.Table, TableLockMode.Share, TableWork.IndexBuild);
                break;
            case AddForeignKeyOperation o:
                yield return Step(o.Schema, o.Table, TableLockMode.ShareRowExclusive, TableWork.Scan);
                if (o.PrincipalTable != o.Table)
                {
                    yield return Step(o.PrincipalSchema, o.PrincipalTable, TableLockMode.ShareRowExclusive, TableWork.None);
                }

                break;
            case AddCheckConstraintOperation o:
                yield return Step(o.Schema, o.Table, TableLockMode.AccessExclusive, TableWork.Scan);
                break;
            case AddUniqueConstraintOperation o:
                yield return Step(o.Schema, o.Table, TableLockMode.AccessExclusive, TableWork.IndexBuild);
                break;
            case AddPrimaryKeyOperation o:
                yield return Step(o.Schema, o.Table, TableLockMode.AccessExclusive, TableWork.IndexBuild);
                break;
            case DropIndexOperation o:
                yield return o.Table is { } table
                    ? Step(o.Schema, table, TableLockMode.AccessExclusive, TableWork.None)
                    : new(name, o.Schema, "", TableLockMode.AccessExclusive, TableWork.None, Index: o.Name);
                break;
            case DropTableOperation o:
                yield return Step(o.Schema, o.Name, TableLockMode.AccessExclusive, TableWork.None);
                break;
            case RenameTableOperation o:
                yield return Step(o.Schema, o.Name, TableLockMode.AccessExclusive, TableWork.None);
                break;
            case ColumnOperation or DropColumnOperation or RenameColumnOperation or DropForeignKeyOperation or DropPrimaryKeyOperation
                or DropUniqueConstraintOperation or DropCheckConstraintOperation or RenameIndexOperation or AlterTableOperation:
                if (operation is ITableMigrationOperation { Table: { } altered } each)
                {
                    yield return Step(each.Schema, altered, TableLockMode.AccessExclusive, TableWork.None);
                }

                break;
            // Keyed rows, a handful: ROW EXCLUSIVE, blocking nobody for long.
            case InsertDataOperation or UpdateDataOperation or DeleteDataOperation:
                if (operation is ITableMigrationOperation { Table: { } written } data)
                {
                    yield return Step(data.Schema, written, TableLockMode.RowExclusive, TableWork.None);
                }

                break;
        }
    }

    /// <summary>
    /// Whether adding the column rewrites the table: PostgreSQL 11+ stores a constant default in the catalog, but an
    /// identity or serial column, a stored generated column, and a volatile default are computed for every row.
    /// </summary>
    private static bool Rewrites(AddColumnOperation column) =>
        column.ComputedColumnSql is not null && column.IsStored != false
        || column[ValueGenerationStrategy] is { } strategy && strategy.ToString() is not (null or "None")
        || column.DefaultValueSql is { } sql && SqlLocks.IsVolatile(sql);

    /// <summary>A string column made longer (or unbounded): PostgreSQL changes the catalog only.</summary>
    private static bool Widens(AlterColumnOperation column) =>
        column.ClrType == column.OldColumn.ClrType && column.ClrType == typeof(string)
        && column.ColumnType is null && column.OldColumn.ColumnType is null
        && (column.MaxLength is null || column.OldColumn.MaxLength is { } old && column.MaxLength >= old);
}
