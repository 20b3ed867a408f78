using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using static SafeMigrations.PostgresIdentifier;

namespace SafeMigrations.Worker;

/// <summary>
/// What the web app's role may do, granted by the owner role (the session acts as it): read and write the rows of the
/// owner's tables and use its sequences, in its schemas and <c>public</c>; only read the migrations history (readiness
/// needs it), and not touch the migration checksums; and the same for whatever the owner creates later (default
/// privileges), so a new migration needs no grant. The migration lock is the admin's: <see cref="DatabaseRoles"/> keeps
/// the web role from it.
/// </summary>
internal static class WebRoleGrants
{
    // The owner's relations only, not ALL TABLES IN SCHEMA: that fails on any table the owner has no right on, such as
    // the admin's migration lock or an extension's table in public. Never the migration lock's table, which the owner
    // role owns when the worker runs with a migrator login (MigratorLogin): nobody but its owner may take that lock.
    private const string OwnedRelations = $"""
        SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = @schema AND c.relowner = (SELECT oid FROM pg_roles WHERE rolname = @owner) AND c.relkind::text = ANY (@kinds)
          AND c.relname <> '{MigrationLock.TableName}'
        ORDER BY 1
        """;

    // The owner's functions and procedures (the trigger functions of migrations, say), as GRANT and REVOKE name them.
    private const string OwnedRoutines = """
        SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = @schema AND p.proowner = (SELECT oid FROM pg_roles WHERE rolname = @owner) AND p.prokind IN ('f', 'p')
        ORDER BY 1
        """;

    /// <summary>Grants what the summary says, on the session acting as the owner role.</summary>
    /// <param name="context">The context whose history and checksums are created first.</param>
    /// <param name="commands">The worker's session.</param>
    /// <param name="names">The database's roles.</param>
    /// <param name="workerTables">The histories and checksums of every registered context: on one database, a grant on the owner's tables covers theirs too.</param>
    /// <param name="cancellationToken">Cancels the statements.</param>
    public static async Task GrantAsync(DbContext context, RoleSetupCommands commands, DatabaseRoleNames names, IReadOnlyList<WorkerTables> workerTables,
        CancellationToken cancellationToken)
    {
        var web = Quote(names.Web);
        var asOwner = $"(as {names.Owner})";

        // Created now, as the owner, so that the grants below cover it: on a new database EF would create it later.
        await context.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
        await MigrationChecksumStore.CreateIfNotExistsAsync(context, cancellationToken);

        var schemas = await commands.QueryAsync<string>(
            "SELECT nspname::text FROM pg_namespace WHERE nspowner = (SELECT oid FROM pg_roles WHERE rolname = @owner) OR nspname = 'public'",
            cancellationToken, ("owner", names.Owner));
        foreach (var schema in schemas)
        {
            // The admin granted USAGE on public, which it owns.
            if (schema != "public")
            {
                await commands.ExecuteAsync($"GRANT USAGE ON SCHEMA {Quote(schema)} TO {web}", $"grant USAGE on schema {schema} {asOwner}", cancellationToken);
            }

            foreach (var (privileges, kind, kinds) in new[] { ("SELECT, INSERT, UPDATE, DELETE", "TABLE", new[] { "r", "p", "v", "m", "f" }), ("USAGE, SELECT", "SEQUENCE", ["S"]) })
            {
                var relations = await commands.QueryAsync<string>(OwnedRelations, cancellationToken, ("schema", schema), ("owner", names.Owner), ("kinds", kinds));
                if (relations.Count > 0)
                {
                    await commands.ExecuteAsync($"GRANT {privileges} ON {kind} {string.Join(", ", relations)} TO {web}",
                        $"grant the web role its rights on the {kind.ToLowerInvariant()}s of schema {schema} {asOwner}", cancellationToken);
                }
            }

            // PostgreSQL lets every role (PUBLIC) execute a new function: only the web role may run the owner's.
            var routines = await commands.QueryAsync<string>(OwnedRoutines, cancellationToken, ("schema", schema), ("owner", names.Owner));
            if (routines.Count > 0)
            {
                await commands.ExecuteAsync($"GRANT EXECUTE ON ROUTINE {string.Join(", ", routines)} TO {web}",
                    $"grant the web role EXECUTE on the functions of schema {schema} {asOwner}", cancellationToken);
                await commands.ExecuteAsync($"REVOKE EXECUTE ON ROUTINE {string.Join(", ", routines)} FROM PUBLIC",
                    $"revoke EXECUTE on the functions of schema {schema} from PUBLIC {asOwner}", cancellationToken);
            }
        }

        // Every context's, not only this one's: the grant above covered the other contexts' tables in this database too.
        foreach (var (history, checksums) in workerTables.Distinct())
        {
            if ((await commands.QueryAsync<bool>("SELECT to_regclass(@history) IS NOT NULL", cancellationToken, ("history", history))).Single())
            {
                await commands.ExecuteAsync($"REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {history} FROM {web}",
                    $"make the migrations history read-only for the web role {asOwner}", cancellationToken);
            }

            if ((await commands.QueryAsync<bool>("SELECT to_regclass(@checksums) IS NOT NULL", cancellationToken, ("checksums", checksums))).Single())
            {
                await commands.ExecuteAsync($"REVOKE ALL ON {checksums} FROM {web}", $"keep the migration checksums from the web role {asOwner}",
                    cancellationToken);
            }
        }

        foreach (var (privileges, objects) in new[]
                 { ("USAGE", "SCHEMAS"), ("SELECT, INSERT, UPDATE, DELETE", "TABLES"), ("USAGE, SELECT", "SEQUENCES"), ("EXECUTE", "ROUTINES") })
        {
            await commands.ExecuteAsync($"ALTER DEFAULT PRIVILEGES GRANT {privileges} ON {objects} TO {web}",
                $"grant the web role its rights on future {objects.ToLowerInvariant()} {asOwner}", cancellationToken);
        }

        // Global, not per schema: PostgreSQL's own default (EXECUTE for PUBLIC) can only be taken back that way.
        await commands.ExecuteAsync("ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON ROUTINES FROM PUBLIC",
            $"revoke EXECUTE on future functions from PUBLIC {asOwner}", cancellationToken);
    }
}
