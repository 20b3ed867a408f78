namespace SafeMigrations.Schema.Sql;

/// <summary>
/// <c>DELETE</c>, <c>UPDATE</c>, <c>TRUNCATE</c> and <c>INSERT</c>: the rows a delete or truncate removes and the
/// values an update overwrites, each with the query that counts them on the database as it is.
/// </summary>
/// <remarks>
/// The count is the statement's own <c>WHERE</c> (and <c>USING</c> / <c>FROM</c>) as a <c>SELECT count(*)</c>, so it is
/// taken only when every function the statement calls is a known harmless built-in: the count runs before consent.
/// An <c>UPDATE</c> counts the rows where a column it sets holds a value (NULLs lose nothing).
/// </remarks>
internal static class DataChangeReader
{
    public static StatementReading Read(TokenCursor cursor, StatementReading reading)
    {
        if (FunctionCalls.FirstUnknown(Evaluated(cursor)) is { } function)
        {
            return reading.Refuse($"calls {function}(…), which the reader cannot look into");
        }

        var mentions = cursor.Statement.Tokens.Where(t => t.IsName).Select(t => t.Value).ToHashSet();
        return cursor.Current.Value switch
        {
            "delete" => Delete(cursor, reading, mentions),
            "update" => Update(cursor, reading, mentions),
            "truncate" => Truncate(cursor, reading, mentions),
            _ => Insert(cursor, reading),
        };
    }

    private static StatementReading Delete(TokenCursor cursor, StatementReading reading, HashSet<string> mentions)
    {
        cursor.Accept("delete", "from");
        if (Target(cursor) is not { } target)
        {
            return reading.Refuse("deletes from a table the reader cannot name");
        }

        var statement = cursor.Statement;
        var returning = cursor.Find(t => t.Is("returning"));
        var where = cursor.Find(t => t.Is("where"));
        string? from = null;
        if (cursor.Accept("using"))
        {
            from = statement.Span(cursor.Position, Math.Min(where, returning));
        }

        if (where < returning && statement.Tokens[where + 1].Is("current") && statement.Tokens[where + 2].Is("of"))
        {
            return reading.Refuse("deletes at a cursor's position, which the reader cannot count");
        }

        var condition = where < returning ? statement.Span(where + 1, returning) : null;
        var count = $"SELECT count(*) FROM {target.From}{Where(null, from, condition)}";
        reading.Changed.Add(target.Table.Name);
        reading.Losses.Add(new(new DataLoss(DataLossKind.DeleteRows, target.Table.ToString(), reading.Statement, count, null, false), mentions));
        return reading;
    }

    private static StatementReading Update(TokenCursor cursor, StatementReading reading, HashSet<string> mentions)
    {
        cursor.Accept("update");
        if (Target(cursor) is not { } target || !cursor.Accept("set"))
        {
            return reading.Refuse("updates a table the reader cannot name");
        }

        var statement = cursor.Statement;
        var returning = cursor.Find(t => t.Is("returning"));
        var where = cursor.Find(t => t.Is("where"));
        var fromClause = cursor.Find(t => t.Is("from"));
        var setEnd = Math.Min(Math.Min(fromClause, where), returning);
        var columns = new List<string>();
        var assignments = new TokenCursor(statement.Slice(cursor.Position, setEnd));
        foreach (var (start, _) in assignments.SplitAtCommas())
        {
            var assignment = new TokenCursor(assignments.Statement, start);
            if (assignment.AcceptPunctuation("("))
            {
                // (a, b) = (…): every name up to the closing parenthesis.
                while (!assignment.AtEnd && !assignment.Current.IsPunctuation(")"))
                {
                    if (assignment.Current.IsName)
                    {
                        columns.Add(assignment.Current.Value);
                    }

                    assignment.Position++;
                }
            }
            else if (assignment.Current.IsName)
            {
                columns.Add(assignment.Current.Value);
            }
        }

        if (columns.Count == 0 || where < returning && statement.Tokens[where + 1].Is("current"))
        {
            return reading.Refuse("updates what the reader cannot count");
        }

        var from = fromClause < Math.Min(where, returning) ? statement.Span(fromClause + 1, Math.Min(where, returning)) : null;
        var condition = where < returning ? statement.Span(where + 1, returning) : null;
        var holdsValue = "(" + string.Join(" OR ", columns.Select(c => $"{PostgresIdentifier.Quote(c)} IS NOT NULL")) + ")";
        var count = $"SELECT count(*) FROM {target.From}{Where(holdsValue, from, condition)}";
        var overwritten = columns.Select(c => $"{target.Table.Name}.{c}").ToList();
        reading.Changed.Add(target.Table.Name);
        reading.Losses.Add(new(
            new DataLoss(DataLossKind.OverwriteValues, string.Join(", ", columns.Select(c => $"{target.Table}.{c}")), reading.Statement, count, null, false),
            mentions, overwritten));
        return reading;
    }

    private static StatementReading Truncate(TokenCursor cursor, StatementReading reading, HashSet<string> mentions)
    {
        cursor.Accept("truncate");
        cursor.Accept("table");
        var tokens = cursor.Statement.Tokens;
        var cascade = tokens.Any(t => t.Is("cascade"));
        var end = cursor.Find(t => t.Is("restart") || t.Is("continue") || t.Is("cascade") || t.Is("restrict"));
        var tables = new List<SqlName>();
        foreach (var (start, stop) in new TokenCursor(cursor.Statement.Slice(cursor.Position, end)).SplitAtCommas())
        {
            var part = new TokenCursor(cursor.Statement, cursor.Position + start);
            part.Accept("only");
            if (part.ReadName() is not { } table)
            {
                return reading.Refuse("truncates a table the reader cannot name");
            }

            tables.Add(table);
            reading.Changed.Add(table.Name);
        }

        reading.Losses.Add(new(
            new DataLoss(DataLossKind.Truncate, string.Join(", ", tables) + (cascade ? " and the tables that reference them" : ""),
                reading.Statement, CountSql.Truncated(tables, cascade), null, true),
            mentions));
        return reading;
    }

    private static StatementReading Insert(TokenCursor cursor, StatementReading reading)
    {
        cursor.Accept("insert", "into");
        if (cursor.ReadName() is { } table)
        {
            reading.Changed.Add(table.Name);
        }

        var tokens = cursor.Statement.Tokens;
        var conflict = tokens.ToList().FindIndex(t => t.Is("conflict"));
        return conflict >= 0 && tokens.Skip(conflict).Any(t => t.Is("update"))
            ? reading.Refuse("overwrites rows on conflict, which the reader does not count")
            : reading;
    }

    /// <summary>The part of the statement that evaluates expressions: an INSERT's, after its target and column list.</summary>
    private static SqlStatement Evaluated(TokenCursor cursor)
    {
        var insert = new TokenCursor(cursor.Statement, cursor.Position);
        if (!insert.Accept("insert", "into") || insert.ReadName() is null)
        {
            return cursor.Statement;
        }

        if (insert.Accept("as"))
        {
            insert.Position++;
        }

        insert.SkipParenthesised();
        return cursor.Statement.Slice(insert.Position, cursor.Statement.Tokens.Count);
    }

    /// <summary><c>[ONLY] table [*] [[AS] alias]</c>, as the count's FROM item.</summary>
    private static (SqlName Table, string From)? Target(TokenCursor cursor)
    {
        var start = cursor.Position;
        cursor.Accept("only");
        if (cursor.ReadName() is not { } table)
        {
            return null;
        }

        if (cursor.Current is { Kind: SqlTokenKind.Operator, Text: "*" })
        {
            cursor.Position++;
        }

        cursor.Accept("as");
        if (cursor.Current.IsName && !cursor.Current.Is("using") && !cursor.Current.Is("where") && !cursor.Current.Is("set")
            && !cursor.Current.Is("returning"))
        {
            cursor.Position++;
        }

        return (table, cursor.Statement.Span(start, cursor.Position));
    }

    /// <summary>The count's WHERE: the values an update would overwrite, and the statement's own condition and join.</summary>
    private static string Where(string? holdsValue, string? from, string? condition)
    {
        var joined = from is null ? condition : $"EXISTS (SELECT FROM {from}{(condition is null ? "" : $" WHERE {condition}")})";
        var parts = new[] { holdsValue, joined is null ? null : $"({joined})" }.OfType<string>().ToList();
        return parts.Count == 0 ? "" : " WHERE " + string.Join(" AND ", parts);
    }
}
