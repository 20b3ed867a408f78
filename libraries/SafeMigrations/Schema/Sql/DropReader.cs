namespace SafeMigrations.Schema.Sql;

/// <summary>
/// <c>DROP</c>: a table's rows (<c>DROP TABLE</c>), what <c>CASCADE</c> takes with the objects it drops (and what
/// <c>DROP EXTENSION</c> takes: the extension's tables), or nothing (an index, a view, a function, a trigger, …).
/// </summary>
internal static class DropReader
{
    // Kinds whose objects hold no data: dropping one fails while anything depends on it (RESTRICT, the default).
    private static readonly HashSet<string> Harmless =
    [
        "access", "cast", "collation", "conversion", "event", "foreign", "group", "language", "operator", "policy",
        "publication", "role", "rule", "server", "statistics", "subscription", "tablespace", "text", "transform",
        "trigger", "user",
    ];

    // Of those, the kinds nothing can depend on, so that CASCADE reaches nothing either.
    private static readonly HashSet<string> NothingDependsOn = ["event", "policy", "publication", "rule", "statistics", "subscription", "trigger"];

    public static StatementReading Read(TokenCursor cursor, StatementReading reading)
    {
        cursor.Accept("drop");
        var tokens = cursor.Statement.Tokens;
        var cascade = tokens[^1].Is("cascade");
        var end = cascade || tokens[^1].Is("restrict") ? tokens.Count - 1 : tokens.Count;
        switch (cursor.Current.Value)
        {
            case "table":
                cursor.Position++;
                return Tables(cursor, end, cascade, reading);
            case "view" or "index" or "sequence":
                cursor.Position++;
                return Relations(cursor, end, cascade, reading);
            case "materialized" when cursor.Peek(1).Is("view"):
            case "foreign" when cursor.Peek(1).Is("table"):
                cursor.Position += 2;
                return Relations(cursor, end, cascade, reading);
            case "type" or "domain":
                cursor.Position++;
                return Objects(cursor, end, cascade, reading, "pg_type", (name, _) => CountSql.TypeOid(name));
            case "schema":
                cursor.Position++;
                return Objects(cursor, end, cascade, reading, "pg_namespace", (name, _) => CountSql.SchemaOid(name));
            case "function" or "procedure" or "routine" or "aggregate":
                cursor.Position++;
                return Objects(cursor, end, cascade, reading, "pg_proc", CountSql.RoutineOid);
            case "extension":
                cursor.Position++;
                // Its member objects go even without CASCADE, tables included.
                return Objects(cursor, end, cascade, reading, "pg_extension", (name, _) => CountSql.ExtensionOid(name), always: true);
            case "database":
                return reading.Refuse("drops a database, which the reader cannot count");
            case "owned":
                return reading.Refuse("drops everything a role owns, which the reader cannot count");
        }

        var kind = cursor.Current.Value;
        if (cascade && Harmless.Contains(kind) && !NothingDependsOn.Contains(kind))
        {
            return reading.Refuse($"drops with CASCADE a kind of object whose dependents the reader does not count ({cursor.Current.Text})");
        }

        return Harmless.Contains(kind) ? reading : reading.Refuse($"drops a kind of object the reader does not know ({cursor.Current.Text})");
    }

    private static StatementReading Tables(TokenCursor cursor, int end, bool cascade, StatementReading reading)
    {
        cursor.Accept("if", "exists");
        var tables = Names(cursor, end, reading);
        foreach (var table in tables)
        {
            reading.Changes.Add(new(SchemaChangeKind.DropTable, table.Schema, table.Name, null, "Sql"));
            reading.Changed.Add(table.Name);
            if (!cascade)
            {
                reading.Losses.Add(new(
                    new DataLoss(DataLossKind.DropTable, table.ToString(), reading.Statement, CountSql.Rows(table), null, true),
                    new HashSet<string> { table.Name }));
            }
        }

        if (cascade && tables.Count > 0)
        {
            AddCascade(reading, tables, tables.Select(t => ("pg_class", CountSql.RelationOid(t))), cascade: true);
        }

        return reading;
    }

    private static StatementReading Relations(TokenCursor cursor, int end, bool cascade, StatementReading reading)
    {
        cursor.Accept("concurrently");
        return Objects(cursor, end, cascade, reading, "pg_class", (name, _) => CountSql.RelationOid(name));
    }

    /// <summary>Objects whose drop loses data only through CASCADE (or <paramref name="always"/>, an extension's members).</summary>
    private static StatementReading Objects(TokenCursor cursor, int end, bool cascade, StatementReading reading, string catalog,
        Func<SqlName, string?, string> oid, bool always = false)
    {
        cursor.Accept("if", "exists");
        var objects = new List<(SqlName Name, string? Arguments)>();
        foreach (var (start, stop) in cursor.SplitAtCommas())
        {
            var part = new TokenCursor(cursor.Statement, start);
            if (part.ReadName() is not { } name)
            {
                return reading.Refuse("drops something the reader cannot name");
            }

            var arguments = part.Position < Math.Min(stop, end) && part.Current.IsPunctuation("(")
                ? cursor.Statement.Span(part.Position, Math.Min(stop, end))
                : null;
            objects.Add((name, arguments));
        }

        if ((cascade || always) && objects.Count > 0)
        {
            AddCascade(reading, [.. objects.Select(o => o.Name)], objects.Select(o => (catalog, oid(o.Name, o.Arguments))), cascade);
        }

        return reading;
    }

    private static List<SqlName> Names(TokenCursor cursor, int end, StatementReading reading)
    {
        var names = new List<SqlName>();
        foreach (var (start, stop) in cursor.SplitAtCommas())
        {
            var part = new TokenCursor(cursor.Statement, start);
            if (part.ReadName() is { } name && part.Position == Math.Min(stop, end))
            {
                names.Add(name);
            }
            else
            {
                reading.Refuse("drops something the reader cannot name");
            }
        }

        return names;
    }

    private static void AddCascade(StatementReading reading, IReadOnlyList<SqlName> names, IEnumerable<(string, string)> seeds, bool cascade) =>
        reading.Losses.Add(new(
            new DataLoss(DataLossKind.DropCascade, string.Join(", ", names), reading.Statement, CountSql.DependentData(seeds, cascade), null, true),
            names.Select(n => n.Name).ToHashSet()));
}
