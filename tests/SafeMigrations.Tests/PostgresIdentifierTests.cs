namespace SafeMigrations.Tests;

/// <summary>The one quoting helper: names and literals as PostgreSQL reads them, whatever they hold.</summary>
public sealed class PostgresIdentifierTests
{
    [Theory]
    [InlineData("Todos", "\"Todos\"")]
    [InlineData("todos", "\"todos\"")]
    [InlineData("appdb_web", "\"appdb_web\"")]
    [InlineData("Order \"Lines\"", "\"Order \"\"Lines\"\"\"")]
    [InlineData("x\"; DROP TABLE \"Todos", "\"x\"\"; DROP TABLE \"\"Todos\"")]
    public void Quote_keeps_the_case_and_doubles_embedded_quotes(string identifier, string expected)
    {
        Assert.Equal(expected, PostgresIdentifier.Quote(identifier));
    }

    [Theory]
    [InlineData("Todos", "'Todos'")]
    [InlineData("it's", "'it''s'")]
    [InlineData("x'; DROP TABLE \"Todos\"; --", "'x''; DROP TABLE \"Todos\"; --'")]
    [InlineData(@"C:\data", @"'C:\data'")]
    [InlineData("", "''")]
    public void Literal_doubles_embedded_apostrophes(string text, string expected)
    {
        Assert.Equal(expected, PostgresIdentifier.Literal(text));
    }

    [Theory]
    [InlineData("Todos", "'\"Todos\"'")]
    [InlineData("O'Brien \"Notes\"", "'\"O''Brien \"\"Notes\"\"\"'")]
    public void RegclassLiteral_is_the_quoted_name_as_a_literal(string identifier, string expected)
    {
        Assert.Equal(expected, PostgresIdentifier.RegclassLiteral(identifier));
    }

    [Fact]
    public void An_empty_or_missing_name_is_refused()
    {
        Assert.Throws<ArgumentException>(() => PostgresIdentifier.Quote(""));
        Assert.Throws<ArgumentNullException>(() => PostgresIdentifier.Quote(null!));
        Assert.Throws<ArgumentException>(() => PostgresIdentifier.RegclassLiteral(""));
        Assert.Throws<ArgumentNullException>(() => PostgresIdentifier.Literal(null!));
    }
}
