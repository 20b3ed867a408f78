namespace SafeMigrations.Schema.Sql;

/// <summary>
/// Reads hand-written migration SQL statement by statement (<see cref="SqlStatements"/>), looking into <c>DO</c> blocks
/// (<see cref="PlpgsqlBody"/>): each statement's schema changes, the data it destroys, or why it cannot be classified.
/// </summary>
/// <remarks>
/// Only what a statement says is read. Functions and triggers it makes PostgreSQL run are not looked into: a call of a
/// function that is not a known harmless built-in (<see cref="FunctionCalls"/>) makes the statement unclassified.
/// </remarks>
internal static class SqlReader
{
    // Statements that neither change rows nor drop anything, and evaluate no expression.
    private static readonly HashSet<string> Harmless =
    [
        "abort", "analyse", "analyze", "begin", "checkpoint", "close", "cluster", "comment", "commit", "deallocate",
        "discard", "end", "fetch", "grant", "import", "listen", "lock", "move", "notify", "prepare", "reassign",
        "refresh", "reindex", "release", "reset", "revoke", "rollback", "savepoint", "security", "set", "show", "start",
        "unlisten", "vacuum",
    ];

    // Statements that only read, harmless when the functions they call are.
    private static readonly HashSet<string> Queries = ["select", "values", "table", "declare"];

    /// <summary>What each statement of <paramref name="sql"/> does, in order.</summary>
    public static IReadOnlyList<StatementReading> Read(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var readings = new List<StatementReading>();
        foreach (var statement in SqlStatements.Split(sql))
        {
            Read(statement, readings);
        }

        return readings;
    }

    private static void Read(SqlStatement statement, List<StatementReading> readings)
    {
        var reading = new StatementReading(statement.FirstWords);
        if (statement.HasUnreadable)
        {
            readings.Add(reading.Refuse("cannot be read (an unterminated string, quoted name or comment)"));
            return;
        }

        var cursor = new TokenCursor(statement);
        if (cursor.Accept("do"))
        {
            Do(cursor, reading, readings);
            return;
        }

        readings.Add(Classify(cursor, reading));
    }

    private static StatementReading Classify(TokenCursor cursor, StatementReading reading)
    {
        var first = cursor.Current;
        switch (first.Value)
        {
            case "alter" when cursor.Peek(1).Is("table") || cursor.Peek(1).Is("foreign") && cursor.Peek(2).Is("table"):
                return AlterTableReader.Read(cursor, reading);
            case "alter":
                return AlterOther(cursor, reading);
            case "create":
                return Create(cursor, reading);
            case "drop":
                return DropReader.Read(cursor, reading);
            case "delete" or "update" or "truncate" or "insert":
                return DataChangeReader.Read(cursor, reading);
            case "with":
                return With(cursor, reading);
            case "explain":
                return cursor.Statement.Tokens.Any(t => t.Is("analyze") || t.Is("analyse"))
                    ? reading.Refuse("EXPLAIN ANALYZE runs the statement it explains")
                    : reading;
            case "call":
                return reading.Refuse("calls a procedure, which the reader cannot look into");
            case "merge" or "copy" or "execute" or "load":
                return reading.Refuse($"{first.Value.ToUpperInvariant()} is not read");
        }

        if (first.Kind == SqlTokenKind.Word && Harmless.Contains(first.Value))
        {
            return reading;
        }

        if (first.IsPunctuation("(") || first.Kind == SqlTokenKind.Word && Queries.Contains(first.Value))
        {
            return CallsOnlyHarmlessFunctions(cursor.Statement, reading);
        }

        return reading.Refuse("is not a statement the reader knows");
    }

    /// <summary>Refuses the statement when it calls a function that is not a known harmless built-in.</summary>
    public static StatementReading CallsOnlyHarmlessFunctions(SqlStatement statement, StatementReading reading) =>
        FunctionCalls.FirstUnknown(statement) is { } function
            ? reading.Refuse($"calls {function}(…), which the reader cannot look into")
            : reading;

    /// <summary><c>DO [LANGUAGE plpgsql] '…'</c>: each step of the body read as a statement of its own.</summary>
    private static void Do(TokenCursor cursor, StatementReading reading, List<StatementReading> readings)
    {
        var tokens = cursor.Statement.Tokens;
        var body = tokens.FirstOrDefault(t => t.Kind == SqlTokenKind.String);
        var language = tokens.SkipWhile(t => !t.Is("language")).Skip(1).FirstOrDefault();
        if (body.Text is null or "" || language.Text is not (null or "") && language.Value != "plpgsql")
        {
            readings.Add(reading.Refuse("is a DO block in a language other than PL/pgSQL"));
            return;
        }

        foreach (var step in PlpgsqlBody.Steps(body.Value))
        {
            var stepReading = new StatementReading(step.Statement.FirstWords);
            switch (step.Kind)
            {
                case ProcedureStepKind.DynamicSql:
                    readings.Add(stepReading.Refuse("runs SQL built at run time, which the reader cannot see"));
                    break;
                case ProcedureStepKind.Expression:
                    readings.Add(CallsOnlyHarmlessFunctions(step.Statement, stepReading));
                    break;
                default:
                    Read(step.Statement, readings);
                    break;
            }
        }
    }

    private static StatementReading AlterOther(TokenCursor cursor, StatementReading reading)
    {
        cursor.Accept("alter");
        var kind = cursor.Current.Value;
        if (kind is "extension")
        {
            return reading.Refuse("ALTER EXTENSION runs the extension's scripts");
        }

        if (kind is "type" && cursor.Statement.Tokens.Any(t => t.Is("attribute"))
            && cursor.Statement.Tokens.Any(t => t.Is("drop") || t.Is("type")))
        {
            return reading.Refuse("changes a composite type's attributes, and with them the columns of that type");
        }

        // A rename moves a name that a later count may read.
        var tokens = cursor.Statement.Tokens;
        var rename = tokens.ToList().FindIndex(t => t.Is("rename"));
        if (rename >= 0)
        {
            foreach (var token in tokens.Skip(2).Where(t => t.IsName))
            {
                reading.Renamed.Add(token.Value);
            }
        }

        return reading;
    }

    private static StatementReading Create(TokenCursor cursor, StatementReading reading)
    {
        cursor.Accept("create");
        cursor.Accept("or", "replace");
        cursor.Accept("unique");
        _ = cursor.Accept("global") || cursor.Accept("local");
        _ = cursor.Accept("temp") || cursor.Accept("temporary") || cursor.Accept("unlogged");
        if (cursor.Accept("table"))
        {
            cursor.Accept("if", "not", "exists");
            if (cursor.ReadName() is { } table)
            {
                reading.Changes.Add(new(SchemaChangeKind.CreateTable, table.Schema, table.Name, null, "Sql"));
                reading.Changed.Add(table.Name);
            }

            // CREATE TABLE … AS runs its query (an AS inside the column list is a generated column's).
            return cursor.Find(t => t.Is("as")) < cursor.Statement.Tokens.Count ? CallsOnlyHarmlessFunctions(cursor.Statement, reading) : reading;
        }

        if (cursor.Accept("index"))
        {
            var concurrently = cursor.Accept("concurrently");
            cursor.Accept("if", "not", "exists");
            if (!cursor.Current.Is("on"))
            {
                cursor.ReadName();
            }

            if (cursor.Accept("on"))
            {
                cursor.Accept("only");
                if (cursor.ReadName() is { } table)
                {
                    reading.Changes.Add(new(concurrently ? SchemaChangeKind.CreateIndexConcurrently : SchemaChangeKind.CreateIndex,
                        table.Schema, table.Name, null, "Sql"));
                }
            }

            return reading;
        }

        return cursor.Accept("materialized", "view") ? CallsOnlyHarmlessFunctions(cursor.Statement, reading) : reading;
    }

    /// <summary><c>WITH … SELECT</c> reads; a <c>WITH</c> that writes (a data-modifying CTE or main statement) is not read.</summary>
    private static StatementReading With(TokenCursor cursor, StatementReading reading)
    {
        var tokens = cursor.Statement.Tokens;
        for (var k = 0; k < tokens.Count; k++)
        {
            if (tokens[k].Is("insert") || tokens[k].Is("delete") || tokens[k].Is("merge") || tokens[k].Is("truncate")
                || tokens[k].Is("update") && !(k > 0 && (tokens[k - 1].Is("for") || tokens[k - 1].Is("key"))))
            {
                return reading.Refuse("is a WITH statement that writes, which the reader does not count");
            }
        }

        return CallsOnlyHarmlessFunctions(cursor.Statement, reading);
    }
}
