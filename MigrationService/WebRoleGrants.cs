using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using static MigrationService.RoleSetupCommands;

namespace MigrationService;

/// <summary>
/// What the web app's role may do, granted by the owner role (the session acts as it): read and write the rows of every
/// table and use every sequence in the owner's schemas and <c>public</c>; only read the migrations history (readiness
/// needs it); and the same for whatever the owner creates later (default privileges), so a new migration needs no grant.
/// </summary>
internal static class WebRoleGrants
{
    public static async Task GrantAsync(DbContext context, RoleSetupCommands commands, DatabaseRoleNames names, CancellationToken cancellationToken)
    {
        var web = Quote(names.Web);
        var asOwner = $"(as {names.Owner})";

        // Created now, as the owner, so that the grants below cover it: on a new database EF would create it later.
        await context.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);

        var schemas = await commands.QueryAsync<string>(
            "SELECT nspname::text FROM pg_namespace WHERE nspowner = (SELECT oid FROM pg_roles WHERE rolname = @owner) OR nspname = 'public'",
            cancellationToken, ("owner", names.Owner));
        foreach (var schema in schemas.Select(Quote))
        {
            // The admin granted USAGE on public, which it owns.
            if (schema != Quote("public"))
            {
                await commands.ExecuteAsync($"GRANT USAGE ON SCHEMA {schema} TO {web}", $"grant USAGE on schema {schema} {asOwner}", cancellationToken);
            }

            await commands.ExecuteAsync($"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {web}",
                $"grant the web role its rights on the tables of schema {schema} {asOwner}", cancellationToken);
            await commands.ExecuteAsync($"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {web}",
                $"grant the web role its rights on the sequences of schema {schema} {asOwner}", cancellationToken);
        }

        await commands.ExecuteAsync($"REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {HistoryTable(context)} FROM {web}",
            $"make the migrations history read-only for the web role {asOwner}", cancellationToken);

        foreach (var (privileges, objects) in new[] { ("USAGE", "SCHEMAS"), ("SELECT, INSERT, UPDATE, DELETE", "TABLES"), ("USAGE, SELECT", "SEQUENCES") })
        {
            await commands.ExecuteAsync($"ALTER DEFAULT PRIVILEGES GRANT {privileges} ON {objects} TO {web}",
                $"grant the web role its rights on future {objects.ToLowerInvariant()} {asOwner}", cancellationToken);
        }
    }

    /// <summary>The history table as EF Core names it: <c>__EFMigrationsHistory</c> unless the context configures another.</summary>
    private static string HistoryTable(DbContext context)
    {
        var options = RelationalOptionsExtension.Extract(context.GetService<IDbContextOptions>());
        var table = Quote(options.MigrationsHistoryTableName ?? HistoryRepository.DefaultTableName);
        return options.MigrationsHistoryTableSchema is { } schema ? $"{Quote(schema)}.{table}" : table;
    }
}
