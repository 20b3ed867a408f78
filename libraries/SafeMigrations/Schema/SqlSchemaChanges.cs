using System.Text.RegularExpressions;

namespace SafeMigrations.Schema;

/// <summary>
/// Recognises the schema changes in hand-written migration SQL: <c>CREATE/DROP TABLE</c>, <c>CREATE INDEX</c>, and the
/// actions of <c>ALTER TABLE</c> (add, drop, rename, retype a column, <c>SET NOT NULL</c>, <c>SET DEFAULT</c>).
/// </summary>
/// <remarks>
/// Written here because no SQL parser for PostgreSQL is at hand, and a parser would not look inside the <c>DO</c> blocks
/// that online migrations use anyway. It reads statements wherever they stand, also inside <c>DO</c> bodies; comments
/// and string literals are skipped. SQL built at run time (<c>EXECUTE format(…)</c>) is not seen: review it by hand.
/// </remarks>
public static partial class SqlSchemaChanges
{
    // A name: "Quoted" (case kept, "" for a quote) or bare (folded to lower case), optionally schema-qualified.
    private const string Name = """(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)""";
    private const string Table = $"""(?:(?<schema>{Name})\s*\.\s*)?(?<table>{Name})""";

    /// <summary>The changes <paramref name="sql"/> makes, in order of appearance.</summary>
    /// <param name="sql">One or more statements, as passed to <c>migrationBuilder.Sql(…)</c>.</param>
    public static IReadOnlyList<SchemaChange> Of(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var text = CommentOrLiteral().Replace(sql, m => m.Value.StartsWith('\'') ? "''" : " ");
        var found = new List<(int Position, SchemaChange Change)>();
        foreach (Match m in CreateTable().Matches(text))
        {
            found.Add((m.Index, Change(SchemaChangeKind.CreateTable, m, null)));
        }

        foreach (Match m in DropTable().Matches(text))
        {
            var offset = 0;
            foreach (var table in TopLevelSplit(m.Groups["tables"].Value))
            {
                if (TableName().Match(table) is { Success: true } name)
                {
                    found.Add((m.Index + offset++, Change(SchemaChangeKind.DropTable, name, null)));
                }
            }
        }

        foreach (Match m in CreateIndex().Matches(text))
        {
            var kind = m.Groups["concurrently"].Success ? SchemaChangeKind.CreateIndexConcurrently : SchemaChangeKind.CreateIndex;
            found.Add((m.Index, Change(kind, m, null)));
        }

        foreach (Match m in AlterTable().Matches(text))
        {
            var offset = 0;
            foreach (var action in TopLevelSplit(m.Groups["actions"].Value))
            {
                found.AddRange(AlterTableAction(action.Trim()).Select(c => (m.Index + offset++, Change(c.Kind, m, c.Column))));
            }
        }

        return [.. found.OrderBy(f => f.Position).Select(f => f.Change)];
    }

    private static IEnumerable<(SchemaChangeKind Kind, string? Column)> AlterTableAction(string action)
    {
        if (AddColumn().Match(action) is { Success: true } add)
        {
            var column = Unquote(add.Groups["column"].Value);
            yield return (SchemaChangeKind.AddColumn, column);
            var definition = add.Groups["definition"].Value;
            if (DefaultClause().IsMatch(definition))
            {
                yield return (SchemaChangeKind.SetDefault, column);
            }

            if (NotNullClause().IsMatch(definition))
            {
                yield return (SchemaChangeKind.SetNotNull, column);
            }
        }
        else if (DropColumn().Match(action) is { Success: true } drop)
        {
            yield return (SchemaChangeKind.DropColumn, Unquote(drop.Groups["column"].Value));
        }
        else if (RenameColumn().Match(action) is { Success: true } rename)
        {
            yield return rename.Groups["column"].Success
                ? (SchemaChangeKind.RenameColumn, Unquote(rename.Groups["column"].Value))
                : (SchemaChangeKind.RenameTable, null);
        }
        else if (AlterColumn().Match(action) is { Success: true } alter)
        {
            var column = Unquote(alter.Groups["column"].Value);
            var change = alter.Groups["change"].Value.ToUpperInvariant();
            var kind = change.Contains("TYPE") ? SchemaChangeKind.ChangeColumnType
                : change.Contains("DEFAULT") ? SchemaChangeKind.SetDefault
                : SchemaChangeKind.SetNotNull;
            yield return (kind, column);
        }
    }

    private static SchemaChange Change(SchemaChangeKind kind, Match statement, string? column) => new(
        kind,
        statement.Groups["schema"].Success ? Unquote(statement.Groups["schema"].Value) : null,
        Unquote(statement.Groups["table"].Value),
        column,
        "Sql");

    /// <summary>PostgreSQL's rule: a quoted name is taken as written, a bare one in lower case.</summary>
    private static string Unquote(string name) =>
        name.StartsWith('"') ? name[1..^1].Replace("\"\"", "\"") : name.ToLowerInvariant();

    /// <summary>Splits an ALTER TABLE's actions at the commas that are not inside parentheses or quoted names.</summary>
    private static IEnumerable<string> TopLevelSplit(string actions)
    {
        var depth = 0;
        var quoted = false;
        var start = 0;
        for (var i = 0; i < actions.Length; i++)
        {
            switch (actions[i])
            {
                case '"': quoted = !quoted; break;
                case '(' when !quoted: depth++; break;
                case ')' when !quoted: depth--; break;
                case ',' when !quoted && depth == 0:
                    yield return actions[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return actions[start..];
    }

    [GeneratedRegex(@"--[^\n]*|/\*.*?\*/|'(?:[^']|'')*'", RegexOptions.Singleline)]
    private static partial Regex CommentOrLiteral();

    [GeneratedRegex($@"\bCREATE\s+(?:(?:GLOBAL|LOCAL)\s+)?(?:(?:TEMP|TEMPORARY|UNLOGGED)\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?{Table}", RegexOptions.IgnoreCase)]
    private static partial Regex CreateTable();

    [GeneratedRegex($@"\bDROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?<tables>{Table}(?:\s*,\s*{Table})*)", RegexOptions.IgnoreCase)]
    private static partial Regex DropTable();

    [GeneratedRegex($@"^\s*{Table}\s*$")]
    private static partial Regex TableName();

    [GeneratedRegex($@"\bCREATE\s+(?:UNIQUE\s+)?INDEX\s+(?<concurrently>CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(?:{Name}\s+)?ON\s+(?:ONLY\s+)?{Table}", RegexOptions.IgnoreCase)]
    private static partial Regex CreateIndex();

    [GeneratedRegex($"""\bALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?{Table}\s*\*?\s+(?<actions>(?:[^;"]|"(?:[^"]|"")*")*)""", RegexOptions.IgnoreCase)]
    private static partial Regex AlterTable();

    [GeneratedRegex($@"^ADD\s+(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(?!(?:CONSTRAINT|PRIMARY|UNIQUE|CHECK|FOREIGN|EXCLUDE)\b)(?<column>{Name})(?<definition>.*)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex AddColumn();

    [GeneratedRegex($@"^DROP\s+(?:COLUMN\s+)?(?:IF\s+EXISTS\s+)?(?!CONSTRAINT\b)(?<column>{Name})", RegexOptions.IgnoreCase)]
    private static partial Regex DropColumn();

    [GeneratedRegex($@"^RENAME\s+(?:TO\s|(?:COLUMN\s+)?(?!CONSTRAINT\b)(?<column>{Name})\s+TO\s)", RegexOptions.IgnoreCase)]
    private static partial Regex RenameColumn();

    [GeneratedRegex($@"^ALTER\s+(?:COLUMN\s+)?(?<column>{Name})\s+(?<change>(?:SET\s+DATA\s+)?TYPE\b|SET\s+DEFAULT\b|SET\s+NOT\s+NULL\b)", RegexOptions.IgnoreCase)]
    private static partial Regex AlterColumn();

    [GeneratedRegex(@"\b(?:DEFAULT|GENERATED)\b", RegexOptions.IgnoreCase)]
    private static partial Regex DefaultClause();

    [GeneratedRegex(@"\bNOT\s+NULL\b", RegexOptions.IgnoreCase)]
    private static partial Regex NotNullClause();
}
