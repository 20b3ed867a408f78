using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using static MigrationService.RoleSetupCommands;

namespace MigrationService;

/// <summary>
/// Least privilege for a migrated database, set up on every run before migrating, idempotently: an owner role that
/// cannot log in owns the schema's objects, and migrations run as it; the web app's login role may read and write rows
/// and nothing more (<see cref="WebRoleGrants"/>). The worker keeps the admin login only to create the database and
/// these roles. See docs/least-privilege.md.
/// </summary>
public sealed class DatabaseRoles(IConfiguration configuration, IOptions<MigrationLimits> limits, ILogger<DatabaseRoles> logger)
{
    private readonly WebLogin? _webLogin = WebLogin.Read(configuration).Login;
    private readonly MigrationLimits _limits = limits.Value;

    /// <summary>
    /// Creates or updates the roles and grants of the context's database, hands the owner role what the admin owns
    /// there, and leaves the session acting as the owner role (<c>SET ROLE</c>), so what the migrations create is owned
    /// by it. Run under the migration lock: workers on one database take turns, and its role names are its own.
    /// </summary>
    public async Task PrepareAsync(DbContext context, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)context.Database.GetDbConnection();
        var database = connection.Database;
        var names = DatabaseRoleNames.For(database, _webLogin);
        // The login's own role again: an earlier attempt (retried after a lock timeout) may have left the session acting
        // as the owner role.
        await using (var reset = new NpgsqlCommand("RESET ROLE", connection))
        {
            await reset.ExecuteNonQueryAsync(cancellationToken);
        }

        string admin;
        await using (var currentUser = new NpgsqlCommand("SELECT current_user::text", connection))
        {
            admin = (string)(await currentUser.ExecuteScalarAsync(cancellationToken))!;
        }

        if (names.Problem(admin) is { } problem)
        {
            throw new RoleSetupException(problem);
        }

        var commands = new RoleSetupCommands(connection, admin);
        await EnsureRolesAsync(commands, names, cancellationToken);
        await GrantDatabaseAndSchemaAsync(commands, database, names, cancellationToken);
        var adopted = await OwnershipTransfer.AdoptAsync(commands, names.Owner, cancellationToken);
        if (_webLogin?.Password is { } password)
        {
            await SetPasswordAsync(database, admin, names.Web, password, cancellationToken);
        }

        await commands.ExecuteAsync($"SET ROLE {Quote(names.Owner)}", $"act as role {names.Owner}", cancellationToken);
        await WebRoleGrants.GrantAsync(context, commands, names, cancellationToken);

        logger.LogInformation(
            "Roles of database {Database}: {Owner} owns the schema and runs the migrations ({Adopted} object(s) taken over from {Admin}); " +
            "{Web} (the web app) may read and write rows; its password {Password}",
            database, names.Owner, adopted, admin, names.Web,
            _webLogin?.Password is null ? $"was left as it is (no password in ConnectionStrings:{WebLogin.ConnectionName})" : "was set");
    }

    private static async Task EnsureRolesAsync(RoleSetupCommands commands, DatabaseRoleNames names, CancellationToken cancellationToken)
    {
        foreach (var role in new[] { names.Owner, names.Web })
        {
            if ((await commands.QueryAsync<int>("SELECT 1 FROM pg_roles WHERE rolname = @role", cancellationToken, ("role", role))).Count > 0)
            {
                continue;
            }

            try
            {
                // NOLOGIN for both: the web role can log in once a run gives it a password.
                await commands.ExecuteAsync($"CREATE ROLE {Quote(role)} NOLOGIN", $"create role {role} (it needs the CREATEROLE privilege)",
                    cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateObject or PostgresErrorCodes.UniqueViolation)
            {
                // Another worker created it a moment ago (role names are per server, the migration lock per database).
            }
        }

        if ((await commands.QueryAsync<bool>("SELECT rolcanlogin FROM pg_roles WHERE rolname = @role", cancellationToken, ("role", names.Owner))).Single())
        {
            await commands.ExecuteAsync($"ALTER ROLE {Quote(names.Owner)} NOLOGIN",
                $"stop role {names.Owner} from logging in (it needs CREATEROLE)", cancellationToken);
        }

        var powers = (await commands.QueryAsync<string[]>(
            """
            SELECT array_remove(ARRAY[CASE WHEN rolsuper THEN 'SUPERUSER' END, CASE WHEN rolcreaterole THEN 'CREATEROLE' END,
                   CASE WHEN rolcreatedb THEN 'CREATEDB' END, CASE WHEN rolreplication THEN 'REPLICATION' END,
                   CASE WHEN rolbypassrls THEN 'BYPASSRLS' END], NULL)
            FROM pg_roles WHERE rolname = @role
            """, cancellationToken, ("role", names.Web))).Single();
        if (powers.Length > 0)
        {
            throw new RoleSetupException($"The web app's role '{names.Web}' has {string.Join(", ", powers)}: it must have none of these. " +
                $"Remove them (ALTER ROLE … NO{powers[0]}) or give the web app another role.");
        }

        // Acting as the owner (SET ROLE) takes membership; a superuser has it anyway. On PostgreSQL 16 and later the
        // membership a CREATEROLE admin gets by creating the role does not allow SET ROLE, so ask for that option.
        var canActAsOwner = (await commands.QueryAsync<bool>(
            "SELECT pg_has_role(current_user, @role, CASE WHEN current_setting('server_version_num')::int >= 160000 THEN 'SET' ELSE 'MEMBER' END)",
            cancellationToken, ("role", names.Owner))).Single();
        if (!canActAsOwner)
        {
            await commands.ExecuteAsync($"GRANT {Quote(names.Owner)} TO CURRENT_USER",
                $"become a member of role {names.Owner} (it needs CREATEROLE, and on PostgreSQL 16 and later ADMIN OPTION on that role)",
                cancellationToken);
        }
    }

    private static async Task GrantDatabaseAndSchemaAsync(RoleSetupCommands commands, string database, DatabaseRoleNames names,
        CancellationToken cancellationToken)
    {
        var (owner, web) = (Quote(names.Owner), Quote(names.Web));
        var ownsDatabase = $"(it needs to own database {database})";
        await commands.ExecuteAsync($"GRANT CREATE ON DATABASE {Quote(database)} TO {owner}", $"grant CREATE on database {database} {ownsDatabase}", cancellationToken);
        await commands.ExecuteAsync($"GRANT CONNECT ON DATABASE {Quote(database)} TO {web}", $"grant CONNECT on database {database} {ownsDatabase}", cancellationToken);

        // Before PostgreSQL 15 every role may create tables in schema public; nobody but the owner role may here.
        var ownsPublic = "(it needs to own schema public, as the database's owner does on PostgreSQL 15 and later)";
        if ((await commands.QueryAsync<bool>("SELECT has_schema_privilege('public', 'public', 'CREATE')", cancellationToken)).Single())
        {
            await commands.ExecuteAsync("REVOKE CREATE ON SCHEMA public FROM PUBLIC", $"revoke CREATE on schema public from PUBLIC {ownsPublic}", cancellationToken);
        }

        await commands.ExecuteAsync($"GRANT USAGE, CREATE ON SCHEMA public TO {owner}", $"grant USAGE and CREATE on schema public {ownsPublic}", cancellationToken);
        await commands.ExecuteAsync($"GRANT USAGE ON SCHEMA public TO {web}", $"grant USAGE on schema public {ownsPublic}", cancellationToken);
    }

    /// <summary>
    /// Sets the web role's password as a SCRAM verifier (<see cref="ScramSha256Verifier"/>), on a connection of its own
    /// that is neither traced nor logged, so not even the verifier reaches a trace or a log of this process.
    /// </summary>
    private async Task SetPasswordAsync(string database, string admin, string role, string password, CancellationToken cancellationToken)
    {
        var adminLogin = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString("appdb")) { Database = database, Pooling = false };
        var dataSourceBuilder = new NpgsqlDataSourceBuilder(adminLogin.ConnectionString);
        dataSourceBuilder.ConfigureTracing(tracing => tracing.ConfigureCommandFilter(_ => false));
        await using var dataSource = dataSourceBuilder.Build();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // ALTER ROLE is DDL too: it waits no longer for a lock than any other statement of the worker.
        await SessionLimits.ApplyAsync(connection, _limits, cancellationToken);
        await new RoleSetupCommands(connection, admin).ExecuteAsync(
            $"ALTER ROLE {Quote(role)} LOGIN PASSWORD '{ScramSha256Verifier.Create(password)}'",
            $"set the password of role {role} (it needs CREATEROLE, and on PostgreSQL 16 and later ADMIN OPTION on that role)",
            cancellationToken);
    }
}
