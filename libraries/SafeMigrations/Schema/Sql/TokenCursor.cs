namespace SafeMigrations.Schema.Sql;

/// <summary>Reads a statement's tokens front to back: keywords, names, and the parts between top-level separators.</summary>
internal sealed class TokenCursor(SqlStatement statement, int position = 0)
{
    /// <summary>The statement read.</summary>
    public SqlStatement Statement { get; } = statement;

    /// <summary>The index of the next token.</summary>
    public int Position { get; set; } = position;

    /// <summary>Whether every token has been read.</summary>
    public bool AtEnd => Position >= Statement.Tokens.Count;

    /// <summary>The next token (a default token at the end).</summary>
    public SqlToken Current => Peek(0);

    /// <summary>The token <paramref name="ahead"/> places after the next one.</summary>
    public SqlToken Peek(int ahead) =>
        Position + ahead < Statement.Tokens.Count ? Statement.Tokens[Position + ahead] : new(SqlTokenKind.Punctuation, "", "", -1);

    /// <summary>Reads the keywords <paramref name="words"/> if they come next, in order; else reads nothing.</summary>
    public bool Accept(params string[] words)
    {
        for (var k = 0; k < words.Length; k++)
        {
            if (!Peek(k).Is(words[k]))
            {
                return false;
            }
        }

        Position += words.Length;
        return true;
    }

    /// <summary>Reads <paramref name="punctuation"/> if it comes next.</summary>
    public bool AcceptPunctuation(string punctuation)
    {
        if (!Current.IsPunctuation(punctuation))
        {
            return false;
        }

        Position++;
        return true;
    }

    /// <summary>Reads a name, <c>name</c> or <c>schema.name</c>; null (reading nothing) when none comes next.</summary>
    /// <remarks>A third part (<c>database.schema.name</c>) is read as PostgreSQL reads it: the last two parts count.</remarks>
    public SqlName? ReadName()
    {
        if (!Current.IsName)
        {
            return null;
        }

        var parts = new List<string> { Current.Value };
        Position++;
        while (Current.IsPunctuation(".") && Peek(1).IsName)
        {
            parts.Add(Peek(1).Value);
            Position += 2;
        }

        return new SqlName(parts.Count > 1 ? parts[^2] : null, parts[^1]);
    }

    /// <summary>Skips a parenthesised group if one comes next (for <c>f(int)</c>, a column list, …).</summary>
    public void SkipParenthesised()
    {
        if (!Current.IsPunctuation("("))
        {
            return;
        }

        var depth = 0;
        do
        {
            depth += Current.IsPunctuation("(") ? 1 : Current.IsPunctuation(")") ? -1 : 0;
            Position++;
        }
        while (!AtEnd && depth > 0);
    }

    /// <summary>
    /// The index of the first token at or after the position, outside parentheses, for which <paramref name="stop"/>
    /// holds; the statement's length when none does.
    /// </summary>
    public int Find(Func<SqlToken, bool> stop)
    {
        var depth = 0;
        for (var k = Position; k < Statement.Tokens.Count; k++)
        {
            var token = Statement.Tokens[k];
            if (depth == 0 && stop(token))
            {
                return k;
            }

            depth += token.IsPunctuation("(") || token.IsPunctuation("[") ? 1 : token.IsPunctuation(")") || token.IsPunctuation("]") ? -1 : 0;
        }

        return Statement.Tokens.Count;
    }

    /// <summary>The ranges (start, end exclusive) from the position to the end, split at top-level commas.</summary>
    public List<(int Start, int End)> SplitAtCommas()
    {
        var parts = new List<(int, int)>();
        var start = Position;
        while (true)
        {
            var comma = Find(t => t.IsPunctuation(","));
            parts.Add((start, comma));
            if (comma >= Statement.Tokens.Count)
            {
                return parts;
            }

            start = Position = comma + 1;
        }
    }
}
