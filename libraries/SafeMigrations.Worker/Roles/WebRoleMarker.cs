using Microsoft.Extensions.Logging;
using static SafeMigrations.PostgresIdentifier;

namespace SafeMigrations.Worker;

/// <summary>
/// The mark (<c>COMMENT ON ROLE</c>) the worker leaves on the web role of a database, so that a login role it did not
/// create — a person's, another application's — is not taken over silently: the role setup changes its password, its
/// connection limit and what it may do. Such a role is refused unless <see cref="MigrationOptions.AdoptWebRole"/>; a
/// role an earlier release created (no mark yet, but CONNECT on this database granted to it explicitly, which only the
/// role setup does) is this database's web role and gets the mark.
/// </summary>
internal static class WebRoleMarker
{
    /// <summary>The role's comment once marked: it names the database, since role names are per server.</summary>
    public static string Text(string database) => $"SafeMigrations: the web app's role of database {database}";

    /// <summary>
    /// Marks <paramref name="web"/> as the web role of <paramref name="database"/> unless it is already; a role that can
    /// log in, holds no grant of this database's role setup and is not marked is refused without consent.
    /// </summary>
    /// <exception cref="InvalidArgumentsException">A login role the worker did not create, and no consent.</exception>
    public static async Task EnsureAsync(RoleSetupCommands commands, string web, string database, bool adopt, ILogger logger,
        CancellationToken cancellationToken)
    {
        var state = (await commands.QueryAsync<bool[]>(
            """
            SELECT ARRAY[shobj_description(r.oid, 'pg_authid') IS NOT DISTINCT FROM @text, r.rolcanlogin,
                         EXISTS (SELECT FROM pg_database d, aclexplode(d.datacl) a
                                 WHERE d.datname = current_database() AND a.grantee = r.oid AND a.privilege_type = 'CONNECT')]
            FROM pg_roles r WHERE r.rolname = @web
            """, cancellationToken, ("text", Text(database)), ("web", web))).Single();
        var (marked, canLogin, hasConnect) = (state[0], state[1], state[2]);
        if (marked)
        {
            return;
        }

        if (canLogin && !hasConnect)
        {
            if (!adopt)
            {
                throw new InvalidArgumentsException(
                    $"The web app's role '{web}' is a login role the worker did not create: the role setup would change its password " +
                    "and privileges. Give the web app a role of its own (the Username of its connection string), or, if that role " +
                    "is meant for it, run with Migrations:AdoptWebRole=true to take it over. Nothing was migrated.");
            }

            logger.LogWarning("Taking over login role {Web} as the web app's role of database {Database}, as Migrations:AdoptWebRole allows", web, database);
        }
        else if (canLogin)
        {
            logger.LogInformation("Role {Web} holds the grants of database {Database}'s web role (an earlier release set it up): marked as such", web, database);
        }

        await commands.ExecuteAsync($"COMMENT ON ROLE {Quote(web)} IS {Literal(Text(database))}",
            $"mark role {web} as the web app's (it needs CREATEROLE, and on PostgreSQL 16 and later ADMIN OPTION on that role)", cancellationToken);
    }
}
