namespace SafeMigrations.Schema;

/// <summary>How a statement of a down-migration destroys data (<see cref="DataLoss"/>).</summary>
public enum DataLossKind
{
    /// <summary><c>DROP TABLE</c>: the table's rows.</summary>
    DropTable,

    /// <summary><c>ALTER TABLE … DROP COLUMN</c>: the column's values.</summary>
    DropColumn,

    /// <summary><c>ALTER COLUMN … TYPE</c>: the column's values, converted to the new type (or lost to it).</summary>
    ChangeColumnType,

    /// <summary><c>DELETE</c>, or EF Core's <c>DeleteData</c>: the rows it matches (and rows that reference them on delete cascade).</summary>
    DeleteRows,

    /// <summary><c>UPDATE</c>, or EF Core's <c>UpdateData</c>: the values it overwrites (setting them to NULL included).</summary>
    OverwriteValues,

    /// <summary><c>TRUNCATE</c>: every row of the tables (and, with <c>CASCADE</c>, of the tables that reference them).</summary>
    Truncate,

    /// <summary>
    /// <c>DROP … CASCADE</c> (and <c>DROP EXTENSION</c>): the tables and columns that go with the dropped objects, as
    /// PostgreSQL's dependency records say.
    /// </summary>
    DropCascade,
}
