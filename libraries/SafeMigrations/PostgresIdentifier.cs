using System.Text;

namespace SafeMigrations;

/// <summary>
/// Quoting for SQL written by hand: identifiers and string literals as PostgreSQL reads them. What EF Core's SQL
/// generation helper does, usable where it is not at hand (inside a migration's <c>Up()</c>, in a role setup command).
/// </summary>
public static class PostgresIdentifier
{
    /// <summary>The longest name PostgreSQL keeps, in bytes (<c>NAMEDATALEN</c> − 1); it cuts longer ones.</summary>
    public const int MaxBytes = 63;

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

    /// <summary>
    /// <paramref name="identifier"/> as PostgreSQL stores it: cut to <paramref name="maxBytes"/> bytes of UTF-8 at a
    /// character boundary (PostgreSQL's <c>truncate_identifier</c>), unchanged when it fits. For names this library
    /// makes up (a constraint's, an index leftover's), so that the name it looks up in the catalog is the one stored.
    /// </summary>
    /// <param name="identifier">A name.</param>
    /// <param name="maxBytes">The bytes it may take: <see cref="MaxBytes"/>, or less to leave room for a suffix.</param>
    public static string Truncate(string identifier, int maxBytes = MaxBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(identifier);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxBytes, MaxBytes);
        if (Encoding.UTF8.GetByteCount(identifier) <= maxBytes)
        {
            return identifier;
        }

        var kept = new StringBuilder();
        var bytes = 0;
        foreach (var rune in identifier.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > maxBytes)
            {
                break;
            }

            kept.Append(rune.ToString());
            bytes += rune.Utf8SequenceLength;
        }

        return kept.ToString();
    }

    /// <summary>
    /// Refuses a name given by the caller that PostgreSQL would cut (longer than <see cref="MaxBytes"/> bytes): the
    /// table or column it named would not be the one the model names.
    /// </summary>
    /// <param name="identifier">The name.</param>
    /// <param name="parameterName">The parameter it came in, for the exception.</param>
    /// <returns><paramref name="identifier"/>.</returns>
    /// <exception cref="ArgumentException">It is empty, white space, or longer than <see cref="MaxBytes"/> bytes.</exception>
    public static string ThrowIfTooLong(string identifier, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(identifier, parameterName);
        return Encoding.UTF8.GetByteCount(identifier) <= MaxBytes
            ? identifier
            : throw new ArgumentException(
                $"'{identifier}' is longer than PostgreSQL's {MaxBytes} bytes: PostgreSQL would truncate it, and the model would name another object.",
                parameterName);
    }
}
