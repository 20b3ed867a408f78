namespace SafeMigrations.Worker;

/// <summary>
/// Hands the owner role what the admin login owns in this database: the tables, views, sequences, functions, types and
/// schemas that earlier versions of this worker created as the admin. Objects of other roles and of extensions are left
/// alone, and so is the rest of the server (unlike <c>REASSIGN OWNED</c>, which would take the admin's objects in every
/// database). The migration lock's table (<see cref="MigrationLock"/>) stays the admin's: it is the admin's lock, and
/// changing its owner would wait for the very lock its holder holds.
/// </summary>
internal static class OwnershipTransfer
{
    // One ALTER … OWNER TO per object, schemas first (a table's new owner needs CREATE on its schema). Indexes, and the
    // sequences of identity and serial columns, follow their table; system schemas are never touched (the bootstrap
    // superuser owns them, and may be the admin login).
    internal const string AdminOwnedObjects = """
        SELECT format('ALTER %s %s OWNER TO %I', o.kind, o.object, @owner)
        FROM (
            SELECT CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE'
                       WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS kind,
                   c.oid::regclass::text AS object, c.relowner AS owner, c.relnamespace AS namespace,
                   'pg_class'::regclass AS catalog, c.oid, 1 AS rank
            FROM pg_class c
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
              AND NOT EXISTS (SELECT FROM pg_depend d
                              WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i'))
            UNION ALL
            SELECT CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END,
                   p.oid::regprocedure::text, p.proowner, p.pronamespace, 'pg_proc'::regclass, p.oid, 1
            FROM pg_proc p
            UNION ALL
            SELECT CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END,
                   t.oid::regtype::text, t.typowner, t.typnamespace, 'pg_type'::regclass, t.oid, 1
            FROM pg_type t
            WHERE t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
            UNION ALL
            SELECT 'SCHEMA', quote_ident(n.nspname), n.nspowner, n.oid, 'pg_namespace'::regclass, n.oid, 0
            FROM pg_namespace n
            WHERE n.nspname <> 'public'
        ) o
        JOIN pg_namespace n ON n.oid = o.namespace
        WHERE o.owner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
          AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
          AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = o.catalog AND d.objid = o.oid AND d.deptype = 'e')
          AND (o.catalog <> 'pg_class'::regclass OR o.oid IS DISTINCT FROM to_regclass(@lock)::oid)
        ORDER BY o.rank, o.object
        """;

    /// <param name="commands">The worker's session, as the admin.</param>
    /// <param name="owner">The owner role.</param>
    /// <param name="lockTable">The migration lock's table, quoted (<see cref="MigrationLock.Table"/>).</param>
    /// <param name="cancellationToken">Cancels the statements.</param>
    /// <returns>How many objects changed owner.</returns>
    public static async Task<int> AdoptAsync(RoleSetupCommands commands, string owner, string lockTable, CancellationToken cancellationToken)
    {
        var statements = await PendingAsync(commands, owner, lockTable, cancellationToken);
        foreach (var statement in statements)
        {
            await commands.ExecuteAsync(statement, $"run '{statement}' (it needs to own the object and to be able to act as {owner})",
                cancellationToken);
        }

        return statements.Count;
    }

    /// <summary>The <c>ALTER … OWNER TO</c> statements <see cref="AdoptAsync"/> would run: none once everything is adopted.</summary>
    public static Task<List<string>> PendingAsync(RoleSetupCommands commands, string owner, string lockTable, CancellationToken cancellationToken) =>
        commands.QueryAsync<string>(AdminOwnedObjects, cancellationToken, ("owner", owner), ("lock", lockTable));
}
