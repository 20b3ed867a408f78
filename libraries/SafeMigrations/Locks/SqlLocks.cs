using SafeMigrations.Schema.Sql;

namespace SafeMigrations.Locks;

/// <summary>
/// The table locks of hand-written migration SQL, statement by statement (also inside <c>DO</c> blocks), with what
/// each does to the rows. Read with the same lexer as the guards (<see cref="SqlStatements"/>). Remembers, across the
/// statements of one migration, the <c>CHECK (c IS NOT NULL) NOT VALID</c> constraints added and validated, so that a
/// later <c>SET NOT NULL</c> on that column is known to need no scan (PostgreSQL 12+ proves it from the constraint) —
/// the online form of <c>SafeMigrations.Online</c>'s <c>SetNotNullOnline</c>.
/// </summary>
internal sealed class SqlLocks
{
    // Functions whose value differs per row: a column added with one as default is computed for every row (a rewrite).
    private static readonly string[] VolatileFunctions = ["clock_timestamp", "random", "gen_random_uuid", "uuid_generate", "nextval", "timeofday", "txid_current"];

    private readonly Dictionary<string, string> _notNullChecks = new(StringComparer.Ordinal); // constraint → table.column
    private readonly HashSet<string> _provenNotNull = new(StringComparer.Ordinal);

    /// <summary>Whether a default expression calls a volatile function (computed per row).</summary>
    public static bool IsVolatile(string expression) =>
        VolatileFunctions.Any(f => expression.Contains(f, StringComparison.OrdinalIgnoreCase));

    /// <summary>The steps of <paramref name="sql"/>; statements on tables in <paramref name="created"/> are left to the caller.</summary>
    public List<LockStep> Of(string sql, ISet<string> created)
    {
        var steps = new List<LockStep>();
        foreach (var statement in SqlStatements.Split(sql))
        {
            var cursor = new TokenCursor(statement);
            if (statement.HasUnreadable)
            {
                continue;
            }

            if (cursor.Accept("do"))
            {
                var body = statement.Tokens.FirstOrDefault(t => t.Kind == SqlTokenKind.String);
                if (body.Text is null or "")
                {
                    continue;
                }

                // A body that commits as it goes (PL/pgSQL COMMIT, outside a transaction block) writes in batches.
                var batched = PostgresLexer.Tokens(body.Value).Any(t => t.Is("commit"));
                foreach (var step in PlpgsqlBody.Steps(body.Value).Where(s => s.Kind == ProcedureStepKind.Statement))
                {
                    steps.AddRange(Read(new TokenCursor(step.Statement), created).Select(s => s with { Batched = batched && s.Work == TableWork.RowWrites }));
                }

                continue;
            }

            steps.AddRange(Read(cursor, created));
        }

        return steps;
    }

    private IEnumerable<LockStep> Read(TokenCursor cursor, ISet<string> created)
    {
        var words = cursor.Statement.FirstWords;
        LockStep Step(SqlName table, TableLockMode mode, TableWork work) => new(words, table.Schema, table.Name, mode, work);
        switch (cursor.Current.Value)
        {
            case "alter" when cursor.Peek(1).Is("table"):
                return AlterTable(cursor, words);
            case "create":
                return Create(cursor, created, words);
            case "update":
                cursor.Accept("update");
                cursor.Accept("only");
                return cursor.ReadName() is { } updated ? [Step(updated, TableLockMode.RowExclusive, TableWork.RowWrites)] : [];
            case "delete":
                cursor.Accept("delete", "from");
                cursor.Accept("only");
                return cursor.ReadName() is { } deleted ? [Step(deleted, TableLockMode.RowExclusive, TableWork.RowWrites)] : [];
            case "insert":
                cursor.Accept("insert", "into");
                return cursor.ReadName() is { } inserted ? [Step(inserted, TableLockMode.RowExclusive, TableWork.None)] : [];
            case "truncate":
                cursor.Accept("truncate");
                cursor.Accept("table");
                cursor.Accept("only");
                return cursor.ReadName() is { } truncated ? [Step(truncated, TableLockMode.AccessExclusive, TableWork.None)] : [];
            // Names only the index: its table is found from the live database (LockStep.OnTable).
            case "drop" when cursor.Peek(1).Is("index"):
                cursor.Accept("drop", "index");
                var concurrently = cursor.Accept("concurrently");
                cursor.Accept("if", "exists");
                return cursor.ReadName() is { } index
                    ? [new(words, index.Schema, "", concurrently ? TableLockMode.ShareUpdateExclusive : TableLockMode.AccessExclusive, TableWork.None, Index: index.Name)]
                    : [];
            case "drop" when cursor.Peek(1).Is("table"):
                cursor.Accept("drop", "table");
                cursor.Accept("if", "exists");
                return cursor.ReadName() is { } dropped ? [Step(dropped, TableLockMode.AccessExclusive, TableWork.None)] : [];
            case "lock":
                cursor.Accept("lock");
                cursor.Accept("table");
                cursor.Accept("only");
                return cursor.ReadName() is { } locked ? [Step(locked, LockModeNamed(cursor), TableWork.None)] : [];
            default:
                return [];
        }
    }

    private IEnumerable<LockStep> Create(TokenCursor cursor, ISet<string> created, string words)
    {
        cursor.Accept("create");
        cursor.Accept("or", "replace");
        if (cursor.Accept("table"))
        {
            cursor.Accept("if", "not", "exists");
            if (cursor.ReadName() is { } table)
            {
                created.Add(table.Name);
            }

            yield break;
        }

        cursor.Accept("unique");
        if (cursor.Accept("index"))
        {
            var concurrently = cursor.Accept("concurrently");
            cursor.Accept("if", "not", "exists");
            if (!cursor.Current.Is("on"))
            {
                cursor.ReadName();
            }

            var on = cursor.Accept("on");
            cursor.Accept("only");
            if (on && cursor.ReadName() is { } indexed)
            {
                yield return new(words, indexed.Schema, indexed.Name,
                    concurrently ? TableLockMode.ShareUpdateExclusive : TableLockMode.Share, TableWork.IndexBuild);
            }

            yield break;
        }

        cursor.Accept("constraint");
        if (cursor.Accept("trigger"))
        {
            var on = cursor.Find(t => t.Is("on"));
            cursor.Position = on + 1;
            if (cursor.ReadName() is { } triggered)
            {
                yield return new(words, triggered.Schema, triggered.Name, TableLockMode.ShareRowExclusive, TableWork.None);
            }
        }
    }

    private List<LockStep> AlterTable(TokenCursor cursor, string words)
    {
        cursor.Accept("alter", "table");
        cursor.Accept("if", "exists");
        cursor.Accept("only");
        if (cursor.ReadName() is not { } table)
        {
            return [];
        }

        var mode = TableLockMode.AccessShare;
        var work = TableWork.None;
        foreach (var (start, end) in cursor.SplitAtCommas())
        {
            var (actionMode, actionWork) = Action(new TokenCursor(cursor.Statement.Slice(start, end)), table);
            mode = actionMode > mode ? actionMode : mode;
            work = actionWork > work ? actionWork : work;
        }

        return [new(words, table.Schema, table.Name, mode, work)];
    }

    /// <summary>One action of an <c>ALTER TABLE</c>: its lock (PostgreSQL's documentation, "ALTER TABLE") and its work.</summary>
    private (TableLockMode, TableWork) Action(TokenCursor action, SqlName table)
    {
        var tokens = action.Statement.Tokens;
        bool Has(string word) => tokens.Any(t => t.Is(word));
        if (action.Accept("validate", "constraint"))
        {
            if (action.ReadName() is { } validated && _notNullChecks.TryGetValue(validated.Name, out var column))
            {
                _provenNotNull.Add(column);
            }

            return (TableLockMode.ShareUpdateExclusive, TableWork.Scan);
        }

        if (action.Accept("add"))
        {
            var constraint = action.Accept("constraint") ? action.ReadName()?.Name : null;
            var notValid = tokens.Count >= 2 && tokens[^2].Is("not") && tokens[^1].Is("valid");
            if (action.Current.Is("foreign"))
            {
                return (TableLockMode.ShareRowExclusive, notValid ? TableWork.None : TableWork.Scan);
            }

            if (action.Current.Is("check"))
            {
                // CHECK ("c" IS NOT NULL): remembered for SET NOT NULL once validated.
                if (constraint is not null && tokens.Count > 4 && FindNotNullColumn(tokens) is { } column)
                {
                    _notNullChecks[constraint] = $"{table.Name}.{column}";
                }

                return (TableLockMode.AccessExclusive, notValid ? TableWork.None : TableWork.Scan);
            }

            if (action.Current.Is("unique") || action.Current.Is("primary") || action.Current.Is("exclude"))
            {
                return (TableLockMode.AccessExclusive, Has("using") && tokens.Any(t => t.Is("index")) && !Has("exclude") ? TableWork.None : TableWork.IndexBuild);
            }

            // ADD [COLUMN]: a catalog change, unless each row needs a value computed.
            var rewrites = Has("identity") || Has("stored") || tokens.Any(t => t.Value is "serial" or "bigserial" or "smallserial")
                || tokens.Any(t => VolatileFunctions.Contains(t.Value));
            return (TableLockMode.AccessExclusive, rewrites ? TableWork.Rewrite : TableWork.None);
        }

        if (action.Accept("alter"))
        {
            action.Accept("column");
            var column = action.ReadName()?.Name;
            if (action.Accept("type") || action.Accept("set", "data", "type"))
            {
                return (TableLockMode.AccessExclusive, TableWork.Rewrite);
            }

            if (action.Accept("set", "not", "null"))
            {
                return (TableLockMode.AccessExclusive, _provenNotNull.Contains($"{table.Name}.{column}") ? TableWork.None : TableWork.Scan);
            }
        }

        if (action.Current.Is("enable") || action.Current.Is("disable"))
        {
            return (TableLockMode.ShareRowExclusive, TableWork.None);
        }

        return (TableLockMode.AccessExclusive, TableWork.None);
    }

    // The column of CHECK ( "c" IS NOT NULL ) [NOT VALID]: check, (, name, is, not, null, ).
    private static string? FindNotNullColumn(IReadOnlyList<SqlToken> tokens)
    {
        var check = tokens.ToList().FindIndex(t => t.Is("check"));
        return check >= 0 && check + 6 < tokens.Count && tokens[check + 1].IsPunctuation("(") && tokens[check + 2].IsName
               && tokens[check + 3].Is("is") && tokens[check + 4].Is("not") && tokens[check + 5].Is("null") && tokens[check + 6].IsPunctuation(")")
            ? tokens[check + 2].Value
            : null;
    }

    private static TableLockMode LockModeNamed(TokenCursor cursor)
    {
        var words = string.Join(' ', cursor.Statement.Tokens.SkipWhile(t => !t.Is("in")).Skip(1).TakeWhile(t => !t.Is("mode")).Select(t => t.Value));
        return words switch
        {
            "access share" => TableLockMode.AccessShare,
            "row share" => TableLockMode.RowShare,
            "row exclusive" => TableLockMode.RowExclusive,
            "share update exclusive" => TableLockMode.ShareUpdateExclusive,
            "share" => TableLockMode.Share,
            "share row exclusive" => TableLockMode.ShareRowExclusive,
            "exclusive" => TableLockMode.Exclusive,
            _ => TableLockMode.AccessExclusive, // LOCK without IN … MODE takes ACCESS EXCLUSIVE
        };
    }
}
