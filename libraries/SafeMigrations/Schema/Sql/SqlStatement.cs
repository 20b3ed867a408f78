namespace SafeMigrations.Schema.Sql;

/// <summary>One statement: its tokens (without the closing semicolon) and the source they were read from.</summary>
internal sealed class SqlStatement(string source, IReadOnlyList<SqlToken> tokens)
{
    private const int QuotedWords = 8;
    private const int QuotedLength = 80;

    /// <summary>The text the tokens' offsets refer to: the migration's SQL, or the body of a <c>DO</c> block.</summary>
    public string Source { get; } = source;

    /// <summary>Its tokens, comments left out.</summary>
    public IReadOnlyList<SqlToken> Tokens { get; } = tokens;

    /// <summary>The statement as written, comments inside it included.</summary>
    public string Text => Tokens.Count == 0 ? "" : Span(0, Tokens.Count);

    /// <summary>How a message quotes it: its first words as written, on one line, with an ellipsis when there is more.</summary>
    public string FirstWords
    {
        get
        {
            var words = string.Join(' ', Span(0, Math.Min(QuotedWords, Tokens.Count)).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            var cut = words.Length > QuotedLength ? words[..QuotedLength] : words;
            return cut + (Tokens.Count > QuotedWords || cut.Length < words.Length ? " …" : "");
        }
    }

    /// <summary>The source of tokens <paramref name="from"/> to <paramref name="to"/> (exclusive), as written.</summary>
    public string Span(int from, int to) => from >= to ? "" : Source[Tokens[from].Start..Tokens[to - 1].End];

    /// <summary>A statement of tokens <paramref name="from"/> to <paramref name="to"/> (exclusive) of this one.</summary>
    public SqlStatement Slice(int from, int to) => new(Source, [.. Tokens.Skip(from).Take(to - from)]);

    /// <summary>Whether any token is unreadable (an unterminated string or comment, …).</summary>
    public bool HasUnreadable => Tokens.Any(t => t.Kind == SqlTokenKind.Unreadable);
}
