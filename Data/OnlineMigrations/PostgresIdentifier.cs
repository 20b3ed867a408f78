namespace Data.OnlineMigrations;

/// <summary>Quoting for the SQL the online-migration helpers write (what EF's SQL generation helper does, inside Up()).</summary>
internal static class PostgresIdentifier
{
    /// <summary><c>Todos</c> → <c>"Todos"</c>: case kept, embedded quotes doubled.</summary>
    public static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"")}\"";

    /// <summary>A string literal: <c>it's</c> → <c>'it''s'</c>.</summary>
    public static string Literal(string text) => $"'{text.Replace("'", "''")}'";

    /// <summary>A literal naming a relation, for <c>to_regclass(…)</c>: resolved like the quoted name in a statement.</summary>
    public static string RegclassLiteral(string identifier) => Literal(Quote(identifier));
}
