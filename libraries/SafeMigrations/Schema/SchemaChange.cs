namespace SafeMigrations.Schema;

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
