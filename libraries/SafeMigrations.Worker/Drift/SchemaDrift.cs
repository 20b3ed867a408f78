namespace SafeMigrations.Worker;

/// <summary>
/// Compares the live schema with the migrated one (<see cref="SchemaShape"/>), object by object: what is missing, what
/// is extra, and what differs in type, nullability, default, generation, uniqueness, columns or definition.
/// </summary>
internal static class SchemaDrift
{
    /// <param name="migrated">What the applied migrations build.</param>
    /// <param name="live">What the database has.</param>
    /// <param name="notExtra">Tables and sequences the database may have besides: the worker's own, other contexts'.</param>
    public static IEnumerable<DriftDifference> Compare(SchemaShape migrated, SchemaShape live, IReadOnlySet<string> notExtra)
    {
        foreach (var (name, table) in migrated.Tables)
        {
            if (!live.Tables.TryGetValue(name, out var actual))
            {
                yield return new(name, "table built by the migrations is missing");
                continue;
            }

            foreach (var difference in Members(name, "column", table.Columns, actual.Columns, Describe, CompareColumns))
            {
                yield return difference;
            }

            foreach (var difference in Members(name, "index", table.Indexes, actual.Indexes, Describe, CompareIndexes))
            {
                yield return difference;
            }

            foreach (var difference in Members(name, "constraint", table.Constraints, actual.Constraints, c => $"{c.Kind} {c.Definition}".TrimEnd(), CompareConstraints))
            {
                yield return difference;
            }
        }

        foreach (var name in live.Tables.Keys.Where(t => !migrated.Tables.ContainsKey(t) && !notExtra.Contains(t)).Order(StringComparer.Ordinal))
        {
            yield return new(name, $"table not built by the migrations ({live.Tables[name].Columns.Count} column(s))");
        }

        foreach (var name in migrated.Sequences.Where(s => !live.Sequences.Contains(s)).Order(StringComparer.Ordinal))
        {
            yield return new(name, "sequence built by the migrations is missing");
        }

        foreach (var name in live.Sequences.Where(s => !migrated.Sequences.Contains(s) && !notExtra.Contains(s)).Order(StringComparer.Ordinal))
        {
            yield return new(name, "sequence not built by the migrations");
        }
    }

    private static IEnumerable<DriftDifference> Members<T>(string table, string kind, IReadOnlyDictionary<string, T> migrated,
        IReadOnlyDictionary<string, T> live, Func<T, string> describe, Func<T, T, IEnumerable<string>> compare)
    {
        foreach (var (name, expected) in migrated.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            if (!live.TryGetValue(name, out var actual))
            {
                yield return new($"{table}.{name}", $"{kind} built by the migrations is missing ({describe(expected)})");
                continue;
            }

            foreach (var difference in compare(expected, actual))
            {
                yield return new($"{table}.{name}", $"{kind} {difference}");
            }
        }

        foreach (var (name, actual) in live.Where(l => !migrated.ContainsKey(l.Key)).OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            yield return new($"{table}.{name}", $"{kind} not built by the migrations ({describe(actual)})");
        }
    }

    private static string Describe(ColumnShape column) =>
        $"{column.Type}{(column.Nullable ? " NULL" : " NOT NULL")}{(column.Generation is { } g ? $", {g}" : "")}{(column.Default is { } d ? $", default {d}" : "")}";

    private static string Describe(IndexShape index) =>
        $"{(index.Unique ? "unique " : "")}on ({(index.Columns.Length == 0 ? "an expression" : index.Columns)}){(index.Partial ? " with a filter" : "")}";

    private static IEnumerable<string> CompareColumns(ColumnShape expected, ColumnShape actual)
    {
        if (expected.Type != actual.Type)
        {
            yield return $"type is {actual.Type}, the migrations say {expected.Type}";
        }

        if (expected.Nullable != actual.Nullable)
        {
            yield return actual.Nullable ? "accepts NULL, the migrations say NOT NULL" : "is NOT NULL, the migrations say NULL";
        }

        if (expected.Generation != actual.Generation)
        {
            yield return $"is generated as {actual.Generation ?? "nothing"}, the migrations say {expected.Generation ?? "nothing"}";
        }
        else if (expected.Default != actual.Default)
        {
            yield return $"default is {actual.Default ?? "none"}, the migrations say {expected.Default ?? "none"}";
        }
    }

    private static IEnumerable<string> CompareIndexes(IndexShape expected, IndexShape actual)
    {
        // An expression index's columns are not in the catalog's column list: compare what both sides know.
        if (expected.Unique != actual.Unique || expected.Partial != actual.Partial
            || (actual.Columns.Length > 0 && expected.Columns.Length > 0 && expected.Columns != actual.Columns))
        {
            yield return $"is {Describe(actual)}, the migrations say {Describe(expected)}";
        }
    }

    private static IEnumerable<string> CompareConstraints(ConstraintShape expected, ConstraintShape actual)
    {
        if (expected != actual)
        {
            yield return $"is {actual.Kind} {actual.Definition}, the migrations say {expected.Kind} {expected.Definition}";
        }
    }
}
