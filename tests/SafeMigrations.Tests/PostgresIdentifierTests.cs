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

    [Theory]
    [InlineData("Todos", 63, "Todos")]
    [InlineData("abcdefghij", 4, "abcd")]
    [InlineData("ééé", 5, "éé")] // 2 bytes each: a third would need 6, and half a character is never kept
    [InlineData("a€b", 3, "a")] // € takes 3 bytes
    [InlineData("😀😀", 7, "😀")] // 4 bytes, one surrogate pair in .NET
    public void Truncate_cuts_at_a_character_boundary_within_the_bytes(string identifier, int maxBytes, string expected)
    {
        Assert.Equal(expected, PostgresIdentifier.Truncate(identifier, maxBytes));
    }

    [Fact]
    public void Truncate_keeps_what_PostgreSQL_keeps_of_a_long_name()
    {
        var name = "CK_" + new string('ü', 40) + "_NotNull"; // 3 + 80 + 8 bytes

        var kept = PostgresIdentifier.Truncate(name);

        Assert.Equal("CK_" + new string('ü', 30), kept); // 63 bytes: 3 + 60
        Assert.Equal(63, System.Text.Encoding.UTF8.GetByteCount(kept));
        Assert.Throws<ArgumentOutOfRangeException>(() => PostgresIdentifier.Truncate(name, 64));
        Assert.Throws<ArgumentOutOfRangeException>(() => PostgresIdentifier.Truncate(name, 0));
        Assert.Throws<ArgumentException>(() => PostgresIdentifier.Truncate(""));
    }

    [Fact]
    public void A_given_name_PostgreSQL_would_cut_is_refused_naming_the_parameter()
    {
        var fits = new string('é', 31) + "x"; // 63 bytes

        Assert.Equal(fits, PostgresIdentifier.ThrowIfTooLong(fits, "table"));
        var refused = Assert.Throws<ArgumentException>(() => PostgresIdentifier.ThrowIfTooLong(fits + "x", "table"));
        Assert.Equal("table", refused.ParamName);
        Assert.Contains("longer than PostgreSQL's 63 bytes", refused.Message);
        Assert.Throws<ArgumentException>(() => PostgresIdentifier.ThrowIfTooLong(" ", "table"));
    }
}
