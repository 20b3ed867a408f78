namespace SafeMigrations.Schema.Sql;

/// <summary>A possibly schema-qualified name read from a statement, as PostgreSQL stores it (bare parts folded).</summary>
/// <param name="Schema">The schema, when written.</param>
/// <param name="Name">The object's name.</param>
internal sealed record SqlName(string? Schema, string Name)
{
    /// <summary><c>"app"."Todos"</c>: the name quoted, for SQL this library writes.</summary>
    public string Quoted => (Schema is null ? "" : PostgresIdentifier.Quote(Schema) + ".") + PostgresIdentifier.Quote(Name);

    /// <summary><c>app.Todos</c>: the name for messages.</summary>
    public override string ToString() => (Schema is null ? "" : Schema + ".") + Name;
}
