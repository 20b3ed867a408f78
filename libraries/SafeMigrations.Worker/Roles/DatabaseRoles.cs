using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using static SafeMigrations.PostgresIdentifier;

namespace SafeMigrations.Worker;

/// <summary>
/// Least privilege for a migrated database, set up on every run before migrating, idempotently: an owner role that
/// cannot log in owns the schema's objects, and migrations run as it; the web app's login role may read and write rows
/// and nothing more (<see cref="WebRoleGrants"/>), within a connection limit when the worker is given one. The worker
/// keeps the admin login only to create the database, these roles and the migration lock. See docs/least-privilege.md.
/// </summary>
internal sealed class DatabaseRoles(MigrationOptions options, ILogger<DatabaseRoles> logger)
{
    /// <summary>
    /// Creates or updates the roles and grants of the context's database, hands the owner role what the admin owns
    /// there, and leaves the session acting as the owner role (<c>SET ROLE</c>), so what the migrations create is owned
    /// by it. Run under the migration lock: workers on one database take turns, and its role names are its own.
    /// </summary>
    /// <param name="context">The context, its connection open as the admin.</param>
    /// <param name="webLogin">The web app's login (its role and password, when configured).</param>
    /// <param name="workerTables">The worker's tables of every registered context: the web role may only read the histories, and never touch the checksums.</param>
    /// <param name="cancellationToken">Cancels the statements.</param>
    public async Task PrepareAsync(DbContext context, WebLogin webLogin, IReadOnlyList<WorkerTables> workerTables, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)context.Database.GetDbConnection();
        var database = connection.Database;
        var names = DatabaseRoleNames.For(database, webLogin);
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

        if (names.Problem(admin, webLogin.ConnectionName) is { } problem)
        {
            throw new InvalidArgumentsException(problem + " Nothing was migrated.");
        }

        var commands = new RoleSetupCommands(connection, admin);
        if (await MigratorLogin.IsMigratorAsync(connection, names.Owner, cancellationToken))
        {
            await VerifyAsMigratorAsync(context, commands, admin, names, webLogin, workerTables, cancellationToken);
            return;
        }

        await EnsureRolesAsync(commands, names, cancellationToken);
        await WebRoleMarker.EnsureAsync(commands, names.Web, database, options.AdoptWebRole, logger, cancellationToken);
        await ApplyConnectionLimitAsync(commands, names.Web, cancellationToken);
        await GrantDatabaseAndSchemaAsync(commands, database, names, cancellationToken);
        var lockTable = MigrationLock.Table(context);
        var adopted = await OwnershipTransfer.AdoptAsync(commands, names.Owner, lockTable, cancellationToken);
        // The lock is the admin's alone; REVOKE needs no lock on the table, so the held lock does not stand in the way.
        await commands.ExecuteAsync($"REVOKE ALL ON {lockTable} FROM PUBLIC, {Quote(names.Web)}",
            $"keep the migration lock from other roles (it needs to own {lockTable})", cancellationToken);
        if (webLogin.Password is { } password)
        {
            await SetPasswordAsync(commands, names.Web, password, cancellationToken);
        }

        await commands.ExecuteAsync($"SET ROLE {Quote(names.Owner)}", $"act as role {names.Owner}", cancellationToken);
        await WebRoleGrants.GrantAsync(context, commands, names, workerTables, cancellationToken);

        logger.LogInformation(
            "Roles of database {Database}: {Owner} owns the schema and runs the migrations ({Adopted} object(s) taken over from {Admin}); " +
            "{Web} (the web app) may read and write rows; its password {Password}",
            database, names.Owner, adopted, admin, names.Web,
            webLogin.Password is null ? $"was left as it is (no password in ConnectionStrings:{webLogin.ConnectionName})" : "was set");
    }

    /// <summary>
    /// The role setup of a migrator login (<see cref="MigratorLogin"/>): verifies what the bootstrap set up — the roles,
    /// the web login's password when one is given, the database's grants — and refuses, naming the first thing wrong,
    /// rather than set anything up; then, as the owner role, grants the web role its rights on the owner's objects.
    /// </summary>
    private async Task VerifyAsMigratorAsync(DbContext context, RoleSetupCommands commands, string login, DatabaseRoleNames names,
        WebLogin webLogin, IReadOnlyList<WorkerTables> workerTables, CancellationToken cancellationToken)
    {
        // DatabaseConnector said so when the session opened.
        var database = context.Database.GetDbConnection().Database;
        var problem = (await commands.QueryAsync<string>(RoleProblem, cancellationToken,
                          ("owner", names.Owner), ("web", names.Web), ("limit", DBNull.Value), ("marker", WebRoleMarker.Text(database)))).Single() is { Length: > 0 } found
            ? found
            : webLogin.Password is { } password ? await WebLoginProblemAsync(context, names.Web, password, cancellationToken, atItsLimitLogsIn: true) : null;
        if (problem is not null)
        {
            throw new InvalidArgumentsException($"The roles of database {database} are not as the bootstrap sets them up: {problem}. " +
                $"Login {login} may not set them up; run the bootstrap as the admin (the SQL the worker prints with --bootstrap-sql), " +
                "or run the worker once with the admin's login. Nothing was migrated.");
        }

        var limit = (await commands.QueryAsync<int>("SELECT rolconnlimit FROM pg_roles WHERE rolname = @role", cancellationToken, ("role", names.Web))).Single();
        if (options.WebConnectionLimit is { } wanted && wanted != limit)
        {
            logger.LogWarning("Role {Web} may hold {Limit} connection(s), Migrations:WebConnectionLimit says {Wanted}: only the bootstrap " +
                "can change it (its web_connection_limit)", names.Web, limit, wanted);
        }

        await commands.ExecuteAsync($"SET ROLE {Quote(names.Owner)}", $"act as role {names.Owner}", cancellationToken);
        await WebRoleGrants.GrantAsync(context, commands, names, workerTables, cancellationToken);
        logger.LogInformation(
            "Roles of database {Database}: {Owner} owns the schema and runs the migrations, through login {Login}; " +
            "{Web} (the web app) may read and write rows; its password {Password}",
            database, names.Owner, login, names.Web,
            webLogin.Password is null ? "was not checked (no password in ConnectionStrings:" + webLogin.ConnectionName + ")" : "logs in");
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
            throw new InvalidArgumentsException($"The web app's role '{names.Web}' has {string.Join(", ", powers)}: it must have none of these. " +
                $"Remove them (ALTER ROLE … NO{powers[0]}) or give the web app another role. Nothing was migrated.");
        }

        await RefuseBorrowedPowerAsync(commands, names.Web, cancellationToken);

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

    // A membership that lends nothing: ADMIN OPTION alone, what PostgreSQL 16 and later give a CREATEROLE login on the role
    // it creates (the bootstrap's admin, for a migrator login's worker), which may manage the role but neither inherit
    // its privileges nor act as it. Read through to_jsonb: PostgreSQL 15 has no inherit_option and set_option columns
    // (and no such membership).
    private const string ManagingMembership = """
        (m.admin_option AND NOT coalesce((to_jsonb(m) ->> 'inherit_option')::bool, true) AND NOT coalesce((to_jsonb(m) ->> 'set_option')::bool, true)
         AND r.rolcreaterole)
        """;

    /// <summary>
    /// Refuses a web role that is not only itself: a member of another role would hold that role's privileges (the owner
    /// role's, say: the schema), a role with members lends the web app's privileges to others, and a role that owns
    /// objects may do anything to them. The admin's own membership, which PostgreSQL 16 and later give the CREATEROLE
    /// login that created the role, is the exception (<see cref="ManagingMembership"/>): it is how the admin manages the role.
    /// </summary>
    private static async Task RefuseBorrowedPowerAsync(RoleSetupCommands commands, string web, CancellationToken cancellationToken)
    {
        var problems = (await commands.QueryAsync<string>(WebRoleBorrowedPower, cancellationToken, ("web", web))).Single();
        if (problems.Length > 0)
        {
            throw new InvalidArgumentsException($"The web app's role '{web}' {problems}: it must be a role of its own. " +
                "Revoke those memberships and hand those objects to another role (REASSIGN OWNED BY), or give the web app " +
                "another role. Nothing was migrated.");
        }
    }

    // One row: what the web role borrows or lends, as a clause ("is a member of a, b; owns 3 object(s)"), or ''.
    private const string WebRoleBorrowedPower = $$"""
        WITH w AS (SELECT oid FROM pg_roles WHERE rolname = @web)
        SELECT concat_ws('; ',
            (SELECT 'is a member of ' || string_agg(r.rolname, ', ' ORDER BY r.rolname)
             FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid, w WHERE m.member = w.oid),
            (SELECT 'has ' || string_agg(r.rolname, ', ' ORDER BY r.rolname) || ' as member(s)'
             FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member, w WHERE m.roleid = w.oid AND r.rolname <> current_user
               AND NOT {{ManagingMembership}}),
            (SELECT 'owns ' || count(*) || ' object(s)' FROM pg_shdepend d, w
             WHERE d.refclassid = 'pg_authid'::regclass AND d.refobjid = w.oid AND d.deptype = 'o' HAVING count(*) > 0))
        """;

    private static async Task GrantDatabaseAndSchemaAsync(RoleSetupCommands commands, string database, DatabaseRoleNames names,
        CancellationToken cancellationToken)
    {
        var (owner, web) = (Quote(names.Owner), Quote(names.Web));
        var ownsDatabase = $"(it needs to own database {database})";
        await commands.ExecuteAsync($"GRANT CREATE ON DATABASE {Quote(database)} TO {owner}", $"grant CREATE on database {database} {ownsDatabase}", cancellationToken);
        await commands.ExecuteAsync($"GRANT CONNECT ON DATABASE {Quote(database)} TO {web}", $"grant CONNECT on database {database} {ownsDatabase}", cancellationToken);
        // PostgreSQL lets every role (PUBLIC) connect to every database by default: the web role of another database on
        // the same server could log in here. Only the roles granted CONNECT (and the owner) may.
        if ((await commands.QueryAsync<bool>("SELECT has_database_privilege('public', current_database(), 'CONNECT')", cancellationToken)).Single())
        {
            await commands.ExecuteAsync($"REVOKE CONNECT ON DATABASE {Quote(database)} FROM PUBLIC", $"revoke CONNECT on database {database} from PUBLIC {ownsDatabase}", cancellationToken);
        }

        // Every role (PUBLIC) may create temporary tables by default; the owner role keeps that right (a migration may
        // use one), the web role does not need it.
        if ((await commands.QueryAsync<bool>("SELECT has_database_privilege('public', current_database(), 'TEMP')", cancellationToken)).Single())
        {
            await commands.ExecuteAsync($"GRANT TEMPORARY ON DATABASE {Quote(database)} TO {owner}", $"grant TEMPORARY on database {database} {ownsDatabase}", cancellationToken);
            await commands.ExecuteAsync($"REVOKE TEMPORARY ON DATABASE {Quote(database)} FROM PUBLIC", $"revoke TEMPORARY on database {database} from PUBLIC {ownsDatabase}", cancellationToken);
        }

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
    /// Why the role setup must run again, in a few words, or null while its effect holds: both roles exist as set up,
    /// the web role has what it needs and nothing it must not, within <see cref="MigrationOptions.WebConnectionLimit"/>,
    /// the admin owns nothing the owner role should, and the web login, when configured with a password, logs in.
    /// Reads only; what it cannot see (a grant revoked by hand on one table, say) a run with a target repairs.
    /// </summary>
    public async Task<string?> CheckAsync(DbContext context, WebLogin webLogin, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)context.Database.GetDbConnection();
        var names = DatabaseRoleNames.For(connection.Database, webLogin);
        var commands = new RoleSetupCommands(connection, connection.UserName ?? "");
        var lockTable = MigrationLock.Table(context);
        // A migrator login cannot change the connection limit nor take over the admin's objects: not its to check.
        var migrator = await MigratorLogin.IsMigratorAsync(connection, names.Owner, cancellationToken);
        var problem = (await commands.QueryAsync<string>(RoleStateProblem, cancellationToken,
            ("owner", names.Owner), ("web", names.Web), ("limit", (object?)(migrator ? null : options.WebConnectionLimit) ?? DBNull.Value),
            ("history", HistoryTables.History(context)), ("checksums", HistoryTables.Checksums(context)), ("lock", lockTable),
            ("marker", WebRoleMarker.Text(connection.Database)))).Single();
        if (problem.Length > 0)
        {
            return problem;
        }

        if (!migrator && (await OwnershipTransfer.PendingAsync(commands, names.Owner, lockTable, cancellationToken)).Count is > 0 and var pending)
        {
            return $"{pending} object(s) of the admin login are to be handed to role {names.Owner}";
        }

        return webLogin.Password is { } password ? await WebLoginProblemAsync(context, names.Web, password, cancellationToken) : null;
    }

    // The roles and the database's grants, as conditions of a CASE: what the admin sets up, and the bootstrap for a
    // migrator login.
    private const string RoleConditions = $$"""
            WHEN o.oid IS NULL THEN format('role %s does not exist', @owner)
            WHEN o.rolcanlogin THEN format('role %s can log in', @owner)
            WHEN NOT pg_has_role(current_user, o.oid, CASE WHEN current_setting('server_version_num')::int >= 160000 THEN 'SET' ELSE 'MEMBER' END)
                THEN format('%s cannot act as role %s', current_user, @owner)
            WHEN w.oid IS NULL THEN format('role %s does not exist', @web)
            WHEN w.rolsuper OR w.rolcreaterole OR w.rolcreatedb OR w.rolreplication OR w.rolbypassrls THEN format('role %s has a power it must not have', @web)
            WHEN EXISTS (SELECT FROM pg_auth_members m WHERE m.member = w.oid)
                 OR EXISTS (SELECT FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member WHERE m.roleid = w.oid AND r.rolname <> current_user
                            AND NOT {{ManagingMembership}})
                 OR EXISTS (SELECT FROM pg_shdepend d WHERE d.refclassid = 'pg_authid'::regclass AND d.refobjid = w.oid AND d.deptype = 'o')
                THEN format('role %s is a member of a role, has members or owns objects', @web)
            WHEN shobj_description(w.oid, 'pg_authid') IS DISTINCT FROM @marker THEN format('role %s is not marked as this database''s web role', @web)
            WHEN @limit::int IS NOT NULL AND w.rolconnlimit <> @limit::int
                THEN format('role %s may hold %s connection(s), Migrations:WebConnectionLimit says %s', @web, w.rolconnlimit, @limit::int)
            WHEN NOT has_database_privilege(w.oid, current_database(), 'CONNECT') THEN format('role %s may not connect', @web)
            WHEN has_database_privilege('public', current_database(), 'CONNECT') THEN 'every role (PUBLIC) may connect to the database'
            WHEN has_database_privilege('public', current_database(), 'TEMP') THEN 'every role (PUBLIC) may create temporary tables'
            WHEN has_schema_privilege('public', 'public', 'CREATE') THEN 'every role (PUBLIC) may create objects in schema public'
            WHEN NOT has_schema_privilege(o.oid, 'public', 'USAGE, CREATE') THEN format('role %s may not create objects in schema public', @owner)
            WHEN NOT has_schema_privilege(w.oid, 'public', 'USAGE') THEN format('role %s may not use schema public', @web)
        """;

    private const string RoleRows = "FROM (SELECT) AS one LEFT JOIN pg_roles o ON o.rolname = @owner LEFT JOIN pg_roles w ON w.rolname = @web";

    // One row: the first thing found about the roles that the role setup (or the bootstrap) would change, or ''.
    private const string RoleProblem = $$"""
        SELECT coalesce(CASE
        {{RoleConditions}}
        END, '')
        {{RoleRows}}
        """;

    // One row: the first thing found that the role setup would change, or an empty string.
    private const string RoleStateProblem = $$"""
        SELECT coalesce(CASE
        {{RoleConditions}}
            WHEN EXISTS (SELECT FROM pg_proc p WHERE p.proowner = o.oid AND p.prokind IN ('f', 'p') AND has_function_privilege('public', p.oid, 'EXECUTE'))
                THEN format('every role (PUBLIC) may execute a function of role %s', @owner)
            WHEN NOT has_table_privilege(w.oid, to_regclass(@history), 'SELECT')
                 OR has_table_privilege(w.oid, to_regclass(@history), 'INSERT, UPDATE, DELETE, TRUNCATE')
                THEN format('role %s may do more or less than read the migrations history', @web)
            WHEN has_table_privilege(w.oid, to_regclass(@checksums), 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
                THEN format('role %s has a privilege on the migration checksums', @web)
            WHEN to_regclass(@lock) IS NULL THEN 'the migration lock''s table does not exist'
            WHEN EXISTS (SELECT FROM pg_class c, aclexplode(c.relacl) a WHERE c.oid = to_regclass(@lock) AND a.grantee <> c.relowner)
                THEN 'a role other than its owner has a privilege on the migration lock''s table'
        END, '')
        {{RoleRows}}
        """;

    /// <summary>
    /// Logs in as the web role, on a connection of its own, and says why that failed; null when it worked. With
    /// <c>atItsLimitLogsIn</c>, a login refused for the web role's connection limit counts as one that logs in:
    /// PostgreSQL checks that limit only after the password was accepted. For a migrator login, which cannot set the
    /// password again, so that a rollout at full load (the web role at its limit) does not fail the new revision.
    /// </summary>
    private static async Task<string?> WebLoginProblemAsync(DbContext context, string role, string password, CancellationToken cancellationToken,
        bool atItsLimitLogsIn = false)
    {
        // The admin's server and settings (TLS included), the web role's credentials: what the role setup keeps working.
        var login = WorkerConnectionStrings.Derive(context, web =>
            (web.Username, web.Password, web.ApplicationName, web.Timeout) = (role, password, SessionLimits.ApplicationName, 10));
        try
        {
            await using var connection = new NpgsqlConnection(login);
            await connection.OpenAsync(cancellationToken);
            return null;
        }
        catch (PostgresException e) when (atItsLimitLogsIn && e.SqlState == PostgresErrorCodes.TooManyConnections)
        {
            // The role's limit (or, before the password is checked, the server's: then it stays unchecked, as without one).
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            // The server's reason, never the connection string (it holds the password).
            return $"the web login {role} did not log in ({(e is PostgresException p ? $"{p.SqlState}: {p.MessageText}" : e.GetType().Name)})";
        }
    }

    private async Task ApplyConnectionLimitAsync(RoleSetupCommands commands, string web, CancellationToken cancellationToken)
    {
        if (options.WebConnectionLimit is not { } limit)
        {
            return;
        }

        if ((await commands.QueryAsync<int>("SELECT rolconnlimit FROM pg_roles WHERE rolname = @role", cancellationToken, ("role", web))).Single() != limit)
        {
            await commands.ExecuteAsync($"ALTER ROLE {Quote(web)} CONNECTION LIMIT {limit}",
                $"set the connection limit of role {web} (it needs CREATEROLE, and on PostgreSQL 16 and later ADMIN OPTION on that role)",
                cancellationToken);
        }

        logger.LogInformation("Role {Web} may hold at most {Limit} connection(s) (Migrations:WebConnectionLimit)", web, limit);
    }

    /// <summary>
    /// Sets the web role's password as a SCRAM verifier (<see cref="ScramSha256Verifier"/>) on the worker's session, with
    /// tracing suppressed for that command (Npgsql's spans carry the statement), so not even the verifier reaches a
    /// trace. Nor a log: EF Core logs only the commands it runs itself, and the worker gives Npgsql no logger.
    /// </summary>
    private static async Task SetPasswordAsync(RoleSetupCommands commands, string role, string password, CancellationToken cancellationToken)
    {
        using var untraced = SuppressInstrumentationScope.Begin();
        await commands.ExecuteAsync(
            $"ALTER ROLE {Quote(role)} LOGIN PASSWORD {Literal(ScramSha256Verifier.Create(password))}",
            $"set the password of role {role} (it needs CREATEROLE, and on PostgreSQL 16 and later ADMIN OPTION on that role)",
            cancellationToken);
    }
}
