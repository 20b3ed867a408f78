using SafeMigrations.Schema;

namespace SafeMigrations.Worker;

/// <summary>Data that reverting <paramref name="Migration"/> would destroy: a dropped table or column, or a retyped column.</summary>
/// <param name="Migration">The migration's name (<c>AddDueDate</c>).</param>
/// <param name="Change">What its Down does (<see cref="SchemaChangeKind.DropTable"/>, <see cref="SchemaChangeKind.DropColumn"/>
/// or <see cref="SchemaChangeKind.ChangeColumnType"/>).</param>
internal sealed record DataAtRisk(string Migration, SchemaChange Change)
{
    /// <summary>Counts what would be lost: the table's rows, or the column's non-null values.</summary>
    public string CountSql =>
        $"SELECT count({(Change.Column is null ? "*" : PostgresIdentifier.Quote(Change.Column))}) FROM " +
        (Change.Schema is null ? "" : PostgresIdentifier.Quote(Change.Schema) + ".") + PostgresIdentifier.Quote(Change.Table);

    /// <summary>One clause of the refusal or of the log: <c>AddDueDate drops Todos.DueDate: 42 non-null values</c>.</summary>
    public string Describe(long count)
    {
        var s = count == 1 ? "" : "s";
        return Change.Kind switch
        {
            SchemaChangeKind.DropTable => $"{Migration} drops table {Change.Target}: {count} row{s}",
            SchemaChangeKind.DropColumn => $"{Migration} drops {Change.Target}: {count} non-null value{s}",
            _ => $"{Migration} changes the type of {Change.Target}: {count} non-null value{s}",
        };
    }
}
