namespace SafeMigrations.Schema.Sql;

/// <summary>
/// The SQL statements and expressions in a PL/pgSQL body (a <c>DO</c> block's): its block structure (<c>DECLARE</c>,
/// <c>BEGIN … END</c>, <c>IF</c>, loops, <c>CASE</c>, <c>EXCEPTION</c>) read away, each statement kept with its tokens.
/// </summary>
/// <remarks>
/// Hand-written for the same reason as <see cref="PostgresLexer"/>, and tested against libpg_query's PL/pgSQL parser.
/// Statements that only steer the block (<c>RETURN</c>, <c>EXIT</c>, <c>COMMIT</c>, <c>GET DIAGNOSTICS</c>, <c>NULL</c>,
/// cursor moves) yield their expressions only; <c>EXECUTE</c> of a constant string yields that string's statements.
/// </remarks>
internal static class PlpgsqlBody
{
    /// <summary>The steps of <paramref name="body"/>, in order.</summary>
    public static IReadOnlyList<ProcedureStep> Steps(string body)
    {
        var steps = new List<ProcedureStep>();
        var declaring = false;
        foreach (var piece in SqlStatements.Split(body))
        {
            var cursor = new TokenCursor(piece);
            if (piece.HasUnreadable)
            {
                steps.Add(new(ProcedureStepKind.DynamicSql, piece));
                continue;
            }

            ReadStructure(cursor, steps, ref declaring);
            if (!cursor.AtEnd)
            {
                ReadStatement(cursor, steps);
            }
        }

        return steps;
    }

    /// <summary>Reads the block structure at the start of a piece (labels, BEGIN, IF … THEN, loops' heads, …).</summary>
    private static void ReadStructure(TokenCursor cursor, List<ProcedureStep> steps, ref bool declaring)
    {
        while (!cursor.AtEnd)
        {
            if (cursor.Current is { Kind: SqlTokenKind.Operator, Text: "<<" })
            {
                cursor.Position = cursor.Find(t => t is { Kind: SqlTokenKind.Operator, Text: ">>" }) + 1;
            }
            else if (cursor.Accept("declare"))
            {
                declaring = true;
            }
            else if (declaring)
            {
                // A declaration; the one before BEGIN ends with it. Only its default's function calls matter.
                var begin = cursor.Find(t => t.Is("begin"));
                Expression(cursor, begin, steps);
                cursor.Position = begin;
                declaring = begin >= cursor.Statement.Tokens.Count ? declaring : false;
                if (declaring)
                {
                    return;
                }
            }
            else if (cursor.Accept("begin") || cursor.Accept("else") || cursor.Accept("exception") || cursor.Accept("loop"))
            {
            }
            else if (cursor.Current.Is("if") || cursor.Current.Is("elsif") || cursor.Current.Is("elseif") || cursor.Current.Is("when"))
            {
                cursor.Position++;
                Head(cursor, "then", steps);
            }
            else if (cursor.Accept("while"))
            {
                Head(cursor, "loop", steps);
            }
            else if (cursor.Accept("case"))
            {
                // A CASE statement: its operand (if any) up to the first WHEN.
                Expression(cursor, cursor.Find(t => t.Is("when")), steps);
                cursor.Position = cursor.Find(t => t.Is("when"));
            }
            else if (cursor.Current.Is("for") || cursor.Current.Is("foreach"))
            {
                LoopHead(cursor, steps);
            }
            else if (cursor.Current.Is("end"))
            {
                cursor.Position = cursor.Statement.Tokens.Count; // END [IF | LOOP | CASE] [label]
            }
            else
            {
                return;
            }
        }
    }

    /// <summary>A condition up to <paramref name="keyword"/>, then past it.</summary>
    private static void Head(TokenCursor cursor, string keyword, List<ProcedureStep> steps)
    {
        var end = cursor.Find(t => t.Is(keyword));
        Expression(cursor, end, steps);
        cursor.Position = Math.Min(end + 1, cursor.Statement.Tokens.Count);
    }

    /// <summary><c>FOR x IN [REVERSE] a .. b LOOP</c>, <c>FOR r IN query LOOP</c>, <c>FOR r IN EXECUTE … LOOP</c>, <c>FOREACH … LOOP</c>.</summary>
    private static void LoopHead(TokenCursor cursor, List<ProcedureStep> steps)
    {
        var loop = cursor.Find(t => t.Is("loop"));
        cursor.Position = Math.Min(cursor.Find(t => t.Is("in")) + 1, loop);
        cursor.Accept("reverse");
        if (cursor.Current.Is("execute"))
        {
            steps.Add(new(ProcedureStepKind.DynamicSql, cursor.Statement.Slice(cursor.Position, loop)));
        }
        else if (cursor.Current.Is("select") || cursor.Current.Is("with") || cursor.Current.Is("values"))
        {
            steps.Add(new(ProcedureStepKind.Statement, cursor.Statement.Slice(cursor.Position, loop)));
        }
        else
        {
            Expression(cursor, loop, steps);
        }

        cursor.Position = Math.Min(loop + 1, cursor.Statement.Tokens.Count);
    }

    /// <summary>The statement that follows the block structure in a piece.</summary>
    private static void ReadStatement(TokenCursor cursor, List<ProcedureStep> steps)
    {
        var start = cursor.Position;
        var end = cursor.Statement.Tokens.Count;
        var first = cursor.Current;
        if (first.Is("null") || first.Is("commit") || first.Is("rollback") || first.Is("get")
            || first.Is("fetch") || first.Is("move") || first.Is("close"))
        {
            return;
        }

        if (first.Is("raise") || first.Is("return") || first.Is("exit") || first.Is("continue") || first.Is("assert"))
        {
            Expression(cursor, end, steps);
        }
        else if (first.Is("perform"))
        {
            steps.Add(new(ProcedureStepKind.Statement, cursor.Statement.Slice(start + 1, end)));
        }
        else if (first.Is("execute"))
        {
            Execute(cursor, steps);
        }
        else if (first.Is("open"))
        {
            var execute = cursor.Find(t => t.Is("execute"));
            steps.Add(execute < end
                ? new(ProcedureStepKind.DynamicSql, cursor.Statement.Slice(start, end))
                : new(ProcedureStepKind.Expression, cursor.Statement.Slice(start, end)));
        }
        else if (IsAssignment(cursor))
        {
            Expression(cursor, end, steps);
        }
        else
        {
            steps.Add(new(ProcedureStepKind.Statement, cursor.Statement.Slice(start, end)));
        }
    }

    /// <summary><c>EXECUTE 'constant' [INTO …] [USING …]</c> runs that constant's statements; anything else is dynamic.</summary>
    private static void Execute(TokenCursor cursor, List<ProcedureStep> steps)
    {
        var statement = cursor.Statement;
        var query = cursor.Peek(1);
        var after = cursor.Peek(2);
        if (query.Kind == SqlTokenKind.String && (after.Text == "" || after.Is("into") || after.Is("using")))
        {
            steps.AddRange(SqlStatements.Split(query.Value).Select(s => new ProcedureStep(
                s.HasUnreadable ? ProcedureStepKind.DynamicSql : ProcedureStepKind.Statement, s)));
            return;
        }

        steps.Add(new(ProcedureStepKind.DynamicSql, statement.Slice(cursor.Position, statement.Tokens.Count)));
    }

    /// <summary><c>target := …</c> or <c>target = …</c>, the target a name with fields (<c>.x</c>) or subscripts (<c>[i]</c>).</summary>
    private static bool IsAssignment(TokenCursor cursor)
    {
        var tokens = cursor.Statement.Tokens;
        var k = cursor.Position;
        if (!tokens[k].IsName)
        {
            return false;
        }

        k++;
        while (k < tokens.Count)
        {
            if (tokens[k].IsPunctuation(".") && k + 1 < tokens.Count && tokens[k + 1].IsName)
            {
                k += 2;
            }
            else if (tokens[k].IsPunctuation("["))
            {
                var depth = 0;
                do
                {
                    depth += tokens[k].IsPunctuation("[") ? 1 : tokens[k].IsPunctuation("]") ? -1 : 0;
                    k++;
                }
                while (k < tokens.Count && depth > 0);
            }
            else
            {
                break;
            }
        }

        return k < tokens.Count && (tokens[k].IsPunctuation(":=") || tokens[k] is { Kind: SqlTokenKind.Operator, Text: "=" });
    }

    /// <summary>Tokens from the position to <paramref name="end"/> as an expression step (none when empty).</summary>
    private static void Expression(TokenCursor cursor, int end, List<ProcedureStep> steps)
    {
        if (end > cursor.Position)
        {
            steps.Add(new(ProcedureStepKind.Expression, cursor.Statement.Slice(cursor.Position, end)));
        }
    }
}
