namespace SafeMigrations.Schema.Sql;

/// <summary>What a token of PostgreSQL's SQL is (<see cref="PostgresLexer"/>).</summary>
internal enum SqlTokenKind
{
    /// <summary>A keyword or a bare name: <see cref="SqlToken.Value"/> is folded to lower case, as PostgreSQL folds it.</summary>
    Word,

    /// <summary><c>"Name"</c> or <c>U&amp;"…"</c>: <see cref="SqlToken.Value"/> is the name as written.</summary>
    QuotedIdentifier,

    /// <summary>A string constant of any quoting (<c>'…'</c>, <c>E'…'</c>, <c>$tag$…$tag$</c>, …): <see cref="SqlToken.Value"/> is its text.</summary>
    String,

    /// <summary>A numeric constant.</summary>
    Number,

    /// <summary><c>$1</c>.</summary>
    Parameter,

    /// <summary>An operator (<c>=</c>, <c>&lt;&gt;</c>, <c>||</c>, …).</summary>
    Operator,

    /// <summary><c>( ) [ ] , ; . : :: := .. =&gt;</c>.</summary>
    Punctuation,

    /// <summary>
    /// Text the lexer cannot read safely: an unterminated string, quoted name or comment, or a construct it does not
    /// decode (<c>UESCAPE</c>). A statement holding one is never classified.
    /// </summary>
    Unreadable,
}

/// <summary>One token: its kind, its text in the source, its value, and where it starts.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Text">The token as written.</param>
/// <param name="Value">Words folded to lower case, names unquoted, strings decoded; else <paramref name="Text"/>.</param>
/// <param name="Start">Its offset in the source it was read from.</param>
internal readonly record struct SqlToken(SqlTokenKind Kind, string Text, string Value, int Start)
{
    /// <summary>The offset just after it.</summary>
    public int End => Start + Text.Length;

    /// <summary>Whether it is the keyword <paramref name="word"/> (lower case).</summary>
    public bool Is(string word) => Kind == SqlTokenKind.Word && Value == word;

    /// <summary>Whether it is the punctuation <paramref name="punctuation"/>.</summary>
    public bool IsPunctuation(string punctuation) => Kind == SqlTokenKind.Punctuation && Text == punctuation;

    /// <summary>Whether it is a name, bare or quoted.</summary>
    public bool IsName => Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier;
}
