using SafeMigrations.Schema.Sql;

namespace SafeMigrations.Tests;

/// <summary>Statements end where PostgreSQL ends them: at a semicolon outside strings, names, comments, parentheses and routine bodies.</summary>
public sealed class SqlStatementsTests
{
    [Theory]
    [InlineData("SELECT 1; SELECT 2;;", "SELECT 1|SELECT 2")]
    [InlineData("RAISE NOTICE $m$it's$m$; ALTER TABLE \"Todos\" DROP COLUMN \"DueDate\"; SELECT 'x'", "RAISE NOTICE $m$it's$m$|ALTER TABLE \"Todos\" DROP COLUMN \"DueDate\"|SELECT 'x'")]
    [InlineData("SELECT ';' /* ; */ -- ;\n, \";\"; SELECT 2", "SELECT ';' /* ; */ -- ;\n, \";\"|SELECT 2")]
    [InlineData("CREATE RULE r AS ON INSERT TO t DO ALSO (SELECT 1; SELECT 2); SELECT 3", "CREATE RULE r AS ON INSERT TO t DO ALSO (SELECT 1; SELECT 2)|SELECT 3")]
    [InlineData("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END; SELECT 3",
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END|SELECT 3")]
    [InlineData("BEGIN; SELECT CASE WHEN true THEN 1 END; END;", "BEGIN|SELECT CASE WHEN true THEN 1 END|END")]
    public void Splits_at_the_semicolons_that_end_statements(string sql, string expected)
    {
        Assert.Equal(expected, string.Join('|', SqlStatements.Split(sql).Select(s => s.Text)));
    }

    [Fact]
    public void A_statement_is_quoted_by_its_first_words_on_one_line()
    {
        var statement = SqlStatements.Split("EXECUTE format('DROP TABLE %I',\n    'Todos') INTO x USING y, z, w").Single();

        Assert.Equal("EXECUTE format('DROP TABLE %I', 'Todos') INTO …", statement.FirstWords);
    }
}
