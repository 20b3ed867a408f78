namespace SafeMigrations.Schema.Sql;

/// <summary>Splits SQL into statements where PostgreSQL ends them.</summary>
internal static class SqlStatements
{
    /// <summary>
    /// The statements of <paramref name="sql"/>, split at semicolons outside parentheses, strings, names and comments;
    /// empty ones left out.
    /// </summary>
    /// <remarks>
    /// psql's rule (psqlscan.l): inside <c>CREATE [OR REPLACE] FUNCTION|PROCEDURE</c>, a <c>BEGIN … END</c> body (with
    /// the <c>CASE … END</c>s within it) keeps its semicolons, so a <c>BEGIN ATOMIC</c> body stays one statement.
    /// </remarks>
    public static IReadOnlyList<SqlStatement> Split(string sql) => Split(sql, PostgresLexer.Tokens(sql));

    /// <summary>As <see cref="Split(string)"/>, for tokens already read from <paramref name="source"/>.</summary>
    public static IReadOnlyList<SqlStatement> Split(string source, IReadOnlyList<SqlToken> tokens)
    {
        var statements = new List<SqlStatement>();
        var current = new List<SqlToken>();
        var parentheses = 0;
        var bodies = 0;
        foreach (var token in tokens)
        {
            if (token.IsPunctuation(";") && parentheses == 0 && bodies == 0)
            {
                Add();
                continue;
            }

            current.Add(token);
            if (token.IsPunctuation("("))
            {
                parentheses++;
            }
            else if (token.IsPunctuation(")"))
            {
                parentheses = Math.Max(0, parentheses - 1);
            }
            else if (token.Kind == SqlTokenKind.Word && parentheses == 0 && CreatesRoutine(current))
            {
                bodies += token.Value switch
                {
                    "begin" => 1,
                    "case" when bodies > 0 => 1,
                    "end" when bodies > 0 => -1,
                    _ => 0,
                };
            }
        }

        Add();
        return statements;

        void Add()
        {
            if (current.Count > 0)
            {
                statements.Add(new SqlStatement(source, current));
                current = [];
            }

            parentheses = 0;
            bodies = 0;
        }
    }

    /// <summary>Whether the statement so far starts <c>CREATE [OR REPLACE] FUNCTION|PROCEDURE</c>.</summary>
    private static bool CreatesRoutine(List<SqlToken> statement)
    {
        var words = statement.Where(t => t.Kind == SqlTokenKind.Word).Take(4).Select(t => t.Value).ToList();
        return words is ["create", "function" or "procedure", ..] or ["create", "or", "replace", "function" or "procedure", ..];
    }
}
