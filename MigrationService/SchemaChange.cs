namespace MigrationService;

/// <summary>What a migration step does to a table or column, as far as the migration guards are concerned.</summary>
public enum SchemaChangeKind
{
    CreateTable,
    DropTable,
    RenameTable,
    AddColumn,
    DropColumn,
    RenameColumn,
    ChangeColumnType,
    SetNotNull,
    SetDefault,

    /// <summary>A plain <c>CREATE INDEX</c>: it blocks writes to the table while it builds.</summary>
    CreateIndex,

    /// <summary><c>CREATE INDEX CONCURRENTLY</c>: reads and writes go on while it builds.</summary>
    CreateIndexConcurrently,
}

/// <summary>One change to the schema, found in a migration's operations (<see cref="SchemaChanges"/>).</summary>
/// <param name="Kind">What is done.</param>
/// <param name="Schema">The table's schema, when the migration names one.</param>
/// <param name="Table">The table, as PostgreSQL stores its name (unquoted names folded to lower case).</param>
/// <param name="Column">The column, for column changes.</param>
/// <param name="Operation">The operation it came from, for messages (<c>DropColumn</c>, <c>Sql</c>, …).</param>
public sealed record SchemaChange(SchemaChangeKind Kind, string? Schema, string Table, string? Column, string Operation)
{
    /// <summary><c>Todos</c>, <c>Todos.DueDate</c>, or with the schema when there is one.</summary>
    public string Target => (Schema is null ? "" : Schema + ".") + Table + (Column is null ? "" : "." + Column);
}
