namespace SafeMigrations;

/// <summary>
/// Quoting for SQL written by hand: identifiers and string literals as PostgreSQL reads them. What EF Core's SQL
/// generation helper does, usable where it is not at hand (inside a migration's <c>Up()</c>, in a role setup command).
/// </summary>
public static class PostgresIdentifier
{
    /// <summary><c>Todos</c> → <c>"Todos"</c>: case kept, embedded quotes doubled.</summary>
    /// <param name="identifier">A table, column, index, role or database name, as PostgreSQL stores it.</param>
    /// <exception cref="ArgumentException"><paramref name="identifier"/> is empty (PostgreSQL has no empty name).</exception>
    public static string Quote(string identifier)
    {
        ArgumentException.ThrowIfNullOrEmpty(identifier);
        return $"\"{identifier.Replace("\"", "\"\"")}\"";
    }

    /// <summary>A string literal: <c>it's</c> → <c>'it''s'</c>.</summary>
    /// <param name="text">The text.</param>
    /// <remarks>Right under PostgreSQL's default <c>standard_conforming_strings = on</c>: backslashes are plain characters.</remarks>
    public static string Literal(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return $"'{text.Replace("'", "''")}'";
    }

    /// <summary>
    /// A literal naming a relation, for <c>to_regclass(…)</c> and <c>'…'::regclass</c>: <c>Todos</c> →
    /// <c>'"Todos"'</c>, resolved like the quoted name in a statement (case kept, not folded to lower case).
    /// </summary>
    /// <param name="identifier">The relation's name, as PostgreSQL stores it.</param>
    public static string RegclassLiteral(string identifier) => Literal(Quote(identifier));
}
