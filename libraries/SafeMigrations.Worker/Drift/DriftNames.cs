namespace SafeMigrations.Worker;

/// <summary>How <c>--drift</c> names objects and spells definitions, the same for both sides of the comparison.</summary>
internal static class DriftNames
{
    /// <summary>The schema of a table EF Core's model leaves unqualified (the first of the search path).</summary>
    public const string DefaultSchema = "public";

    public const string PrimaryKey = "primary key";
    public const string Unique = "unique constraint";
    public const string ForeignKey = "foreign key";
    public const string Check = "check constraint";
    public const string Identity = "identity";
    public const string Sequence = "sequence default";
    public const string Computed = "computed";

    /// <summary><c>Todos</c> in the default schema, <c>sales.Orders</c> elsewhere: what a line prints and what <c>Migrations:Drift:Ignore</c> lists.</summary>
    public static string Table(string schema, string name) => schema == DefaultSchema ? name : $"{schema}.{name}";

    /// <summary>Column names in order, as one string.</summary>
    public static string Columns(IEnumerable<string> columns) => string.Join(", ", columns);

    /// <summary>A foreign key's columns, what it references, and its ON DELETE action.</summary>
    public static string ForeignKeyDefinition(IEnumerable<string> columns, string principal, IEnumerable<string> principalColumns, string onDelete) =>
        $"({Columns(columns)}) references {principal} ({Columns(principalColumns)}) on delete {onDelete}";
}
