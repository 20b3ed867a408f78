using SafeMigrations.Schema.Sql;

namespace SafeMigrations.Tests;

/// <summary>The lexer reads every quoting and comment form as PostgreSQL does, so nothing hides inside one.</summary>
public sealed class PostgresLexerTests
{
    [Theory]
    [InlineData("SELECT 'it''s'", "Word:select String:it's")]
    [InlineData(@"SELECT E'it\'s; \\ \n'", "Word:select String:it's; \\ \n")]
    [InlineData(@"SELECT e'\x41\101\u0042'", "Word:select String:AAB")]
    [InlineData("SELECT $$a 'b' ; \"c$$", "Word:select String:a 'b' ; \"c")]
    [InlineData("SELECT $m$it's $$ ; $n$ x$m$", "Word:select String:it's $$ ; $n$ x")]
    [InlineData("SELECT \"Od\"\"d\", Todos", "Word:select QuotedIdentifier:Od\"d Punctuation:, Word:todos")]
    [InlineData("SELECT U&\"d\\0061t\\+000061\"", "Word:select QuotedIdentifier:data")]
    [InlineData("SELECT 1 /* a /* nested */ still comment */ , 2 -- line ; 3\n, 4", "Word:select Number:1 Punctuation:, Number:2 Punctuation:, Number:4")]
    [InlineData("SELECT a$b, $1, B'101', X'FF', N'n'", "Word:select Word:a$b Punctuation:, Parameter:$1 Punctuation:, String:101 Punctuation:, String:FF Punctuation:, String:n")]
    [InlineData("x := y::int; a=-1", "Word:x Punctuation::= Word:y Punctuation::: Word:int Punctuation:; Word:a Operator:= Operator:- Number:1")]
    [InlineData("FOR i IN 1..10 LOOP", "Word:for Word:i Word:in Number:1 Punctuation:.. Number:10 Word:loop")]
    [InlineData("SELECT 1.5e-3, .5", "Word:select Number:1.5e-3 Punctuation:, Number:.5")]
    [InlineData("Äbc ÉCOLE", "Word:Äbc Word:École")]
    public void Reads_tokens_as_PostgreSQL_does(string sql, string expected)
    {
        var tokens = PostgresLexer.Tokens(sql).Select(t => $"{t.Kind}:{t.Value}");

        Assert.Equal(expected, string.Join(' ', tokens));
    }

    [Theory]
    [InlineData("SELECT 'never closed")]
    [InlineData("SELECT E'escaped quote\\'")]
    [InlineData("SELECT $x$ no end $y$")]
    [InlineData("SELECT \"never closed")]
    [InlineData("SELECT 1 /* outer /* inner */ never closed")]
    [InlineData("SELECT U&'d!0061t' UESCAPE '!'")]
    public void What_it_cannot_read_safely_ends_in_an_unreadable_token(string sql)
    {
        Assert.Equal(SqlTokenKind.Unreadable, PostgresLexer.Tokens(sql)[^1].Kind);
    }
}
