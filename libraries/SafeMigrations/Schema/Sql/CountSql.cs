namespace SafeMigrations.Schema.Sql;

/// <summary>The queries that count what a statement of a down-migration would destroy (<see cref="DataLoss.CountSql"/>).</summary>
internal static class CountSql
{
    /// <summary><c>SELECT count(*) FROM "Todos"</c>.</summary>
    public static string Rows(SqlName table, bool only = false) => $"SELECT count(*) FROM {(only ? "ONLY " : "")}{table.Quoted}";

    /// <summary><c>SELECT count("DueDate") FROM "Todos"</c>: the column's non-null values.</summary>
    public static string Values(SqlName table, string column) => $"SELECT count({PostgresIdentifier.Quote(column)}) FROM {table.Quoted}";

    /// <summary>An expression giving the oid of a relation, type, schema, routine or extension by its name (NULL when it does not exist).</summary>
    public static string RelationOid(SqlName name) => $"to_regclass({PostgresIdentifier.Literal(name.Quoted)})::oid";

    /// <inheritdoc cref="RelationOid"/>
    public static string TypeOid(SqlName name) => $"to_regtype({PostgresIdentifier.Literal(name.Quoted)})::oid";

    /// <inheritdoc cref="RelationOid"/>
    public static string SchemaOid(SqlName name) => $"to_regnamespace({PostgresIdentifier.Literal(PostgresIdentifier.Quote(name.Name))})::oid";

    /// <inheritdoc cref="RelationOid"/>
    public static string RoutineOid(SqlName name, string? arguments) => arguments is null
        ? $"to_regproc({PostgresIdentifier.Literal(name.Quoted)})::oid"
        : $"to_regprocedure({PostgresIdentifier.Literal(name.Quoted + arguments)})::oid";

    /// <inheritdoc cref="RelationOid"/>
    public static string ExtensionOid(SqlName name) => $"(SELECT oid FROM pg_extension WHERE extname = {PostgresIdentifier.Literal(name.Name)})";

    /// <summary>
    /// The rows and non-null values of every table and column that dropping the objects <paramref name="seeds"/>
    /// (catalog, oid expression) takes with it: what pg_depend records as depending on them, followed as PostgreSQL's
    /// DROP follows it (automatic, internal, extension and partition dependencies; normal ones only with CASCADE).
    /// </summary>
    /// <remarks>
    /// Each table is counted with <c>ONLY</c>, so partitions and inheriting tables are counted once, as the objects
    /// they are; a column is counted only when its whole table does not go. Materialized views are not counted: their
    /// data is computed from other tables. The per-table counts run through <c>query_to_xml</c>, which lets one query
    /// count tables it learns of as it runs.
    /// </remarks>
    public static string DependentData(IEnumerable<(string Catalog, string Oid)> seeds, bool cascade) =>
        $"""
        WITH RECURSIVE seed(classid, objid) AS (VALUES {string.Join(", ", seeds.Select(s => $"('{s.Catalog}'::regclass::oid, {s.Oid})"))}),
        doomed(classid, objid, objsubid) AS (
            SELECT classid, objid, 0 FROM seed WHERE objid IS NOT NULL
            UNION
            SELECT d.classid, d.objid, d.objsubid FROM pg_depend d
            JOIN doomed p ON d.refclassid = p.classid AND d.refobjid = p.objid AND (p.objsubid = 0 OR d.refobjsubid = p.objsubid)
            WHERE d.deptype IN ({(cascade ? "'n', " : "")}'a', 'i', 'e', 'P', 'S')
        )
        SELECT coalesce(sum((xpath('/row/n/text()', query_to_xml(format('SELECT count(%s) AS n FROM ONLY %s',
                   CASE WHEN o.objsubid = 0 THEN '*' ELSE quote_ident(a.attname) END, c.oid::regclass), false, true, '')))[1]::text::bigint), 0)::bigint
        FROM doomed o
        JOIN pg_class c ON o.classid = 'pg_class'::regclass AND c.oid = o.objid AND c.relkind IN ('r', 'p')
        LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = o.objsubid AND o.objsubid > 0
        WHERE o.objsubid = 0 OR NOT EXISTS (SELECT FROM doomed w WHERE w.classid = o.classid AND w.objid = o.objid AND w.objsubid = 0)
        """;

    /// <summary>
    /// The rows <c>TRUNCATE</c> removes: those of <paramref name="tables"/> and their inheriting tables, and with
    /// <paramref name="cascade"/> those of every table that references them by a foreign key, recursively.
    /// </summary>
    public static string Truncated(IReadOnlyList<SqlName> tables, bool cascade)
    {
        if (!cascade)
        {
            return "SELECT " + string.Join(" + ", tables.Select(t => $"(SELECT count(*) FROM {t.Quoted})"));
        }

        return $"""
            WITH RECURSIVE truncated(oid) AS (
                SELECT t FROM unnest(ARRAY[{string.Join(", ", tables.Select(RelationOid))}]) AS t WHERE t IS NOT NULL
                UNION
                SELECT c.conrelid FROM pg_constraint c JOIN truncated r ON c.confrelid = r.oid WHERE c.contype = 'f'
            )
            SELECT coalesce(sum((xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %s', oid::regclass),
                       false, true, '')))[1]::text::bigint), 0)::bigint
            FROM truncated
            """;
    }
}
