using System.Globalization;
using SafeMigrations.Worker;
using Npgsql;

namespace IntegrationTests;

/// <summary>
/// The worker run standalone on a database of its own: it keeps the web app's role and sets its password from
/// <c>ConnectionStrings__appdb-web</c>, takes over what earlier versions created as the admin, and says clearly when
/// the admin login may not create roles.
/// </summary>
public sealed class WebRoleWorkerTests(PostgresServer server)
{
    private static Dictionary<string, string> WebLogin(string connectionString) => new() { ["ConnectionStrings__appdb-web"] = connectionString };

    private static Task<ChildProcessResult> RunAsync(string admin, string? webLogin, params string[] args) =>
        WorkerProcess.Start(admin, args, webLogin is null ? null : WebLogin(webLogin)).WaitAsync();

    private static string DatabaseOf(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString).Database!;

    [Fact]
    public async Task Rotating_the_password_and_rerunning_makes_the_old_one_fail_and_the_new_one_work()
    {
        var admin = await server.NewDatabaseAsync();
        var role = $"{DatabaseOf(admin)}_web";
        var oldLogin = WebRole.Login(admin, role, "Old-Password-4e1f");
        var newLogin = WebRole.Login(admin, role, "New-Password-9b2c");

        var first = await RunAsync(admin, oldLogin);
        Assert.True(first.ExitCode == ExitCodes.Success, first.Output);
        Assert.Null(await WebRole.SqlStateOfAsync(oldLogin, "SELECT 1"));

        var rotated = await RunAsync(admin, newLogin);

        Assert.True(rotated.ExitCode == ExitCodes.Success, rotated.Output);
        Assert.Equal(PostgresErrorCodes.InvalidPassword, await WebRole.SqlStateOfAsync(oldLogin, "SELECT 1"));
        Assert.Null(await WebRole.SqlStateOfAsync(newLogin, """SELECT count(*) FROM "Todos" """));
        foreach (var output in new[] { first.Output, rotated.Output })
        {
            Assert.DoesNotContain("Old-Password-4e1f", output);
            Assert.DoesNotContain("New-Password-9b2c", output);
        }
    }

    [Fact]
    public async Task Without_the_web_login_the_role_gets_its_grants_but_no_password_and_a_given_one_is_left_as_it_is()
    {
        var admin = await server.NewDatabaseAsync();
        var role = $"{DatabaseOf(admin)}_web";
        var login = WebRole.Login(admin, role, "Given-Password-71d0");

        var bare = await RunAsync(admin, null);

        Assert.True(bare.ExitCode == ExitCodes.Success, bare.Output);
        Assert.Contains("its password was left as it is (no password in ConnectionStrings:appdb-web)", bare.Output);
        Assert.Equal("canlogin=false insert=true history-insert=false",
            await WebRole.ScalarAsync<string>(admin, $"""
                SELECT format('canlogin=%s insert=%s history-insert=%s', rolcanlogin::text,
                       has_table_privilege(rolname, '"Todos"', 'INSERT')::text, has_table_privilege(rolname, '"__EFMigrationsHistory"', 'INSERT')::text)
                FROM pg_roles WHERE rolname = '{role}'
                """));
        Assert.Equal(PostgresErrorCodes.InvalidPassword, await WebRole.SqlStateOfAsync(login, "SELECT 1")); // no password, no login

        Assert.Equal(ExitCodes.Success, (await RunAsync(admin, login)).ExitCode);
        var again = await RunAsync(admin, null);

        Assert.True(again.ExitCode == ExitCodes.Success, again.Output);
        Assert.Null(await WebRole.SqlStateOfAsync(login, """INSERT INTO "Todos" ("Title", "IsDone") VALUES ('kept', false)"""));
    }

    [Fact]
    public async Task An_admin_that_may_not_create_roles_gets_exit_2_and_one_line_naming_CREATEROLE()
    {
        var admin = await server.NewDatabaseAsync();
        var restricted = $"restricted_{Guid.NewGuid():N}"[..24];
        const string password = "Restricted-Password-5a3e";
        await ExecuteOnServerAsync(admin, $"CREATE ROLE {restricted} LOGIN CREATEDB PASSWORD '{password}'");

        var result = await RunAsync(WebRole.Login(admin, restricted, password), null);

        Assert.Equal(ExitCodes.InvalidArguments, result.ExitCode);
        Assert.Contains($"The admin login '{restricted}' may not create role {DatabaseOf(admin)}_owner (it needs the CREATEROLE privilege): " +
            "permission denied to create role. Nothing was migrated.", result.Output);
        Assert.Single(result.Output.Split('\n'), line => line.StartsWith("fail:", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", result.Output);
        Assert.DoesNotContain("Exception", result.Output);
        Assert.DoesNotContain(password, result.Output);
    }

    [Fact]
    public async Task An_admin_with_CREATEROLE_that_is_no_superuser_sets_everything_up_as_on_a_managed_server()
    {
        var admin = await server.NewDatabaseAsync();
        var manager = $"manager_{Guid.NewGuid():N}"[..24];
        await ExecuteOnServerAsync(admin, $"CREATE ROLE {manager} LOGIN CREATEDB CREATEROLE PASSWORD 'Manager-Password-0c8d'");
        var managerLogin = WebRole.Login(admin, manager, "Manager-Password-0c8d");
        var webLogin = WebRole.Login(admin, $"{DatabaseOf(admin)}_web", "Web-Password-c61a");

        // Given under the name a shell accepts (ConnectionStrings__appdb_web), as docs/least-privilege.md shows for standalone runs.
        var result = await WorkerProcess.Start(managerLogin, [], new Dictionary<string, string> { ["ConnectionStrings__appdb_web"] = webLogin }).WaitAsync();

        Assert.True(result.ExitCode == ExitCodes.Success, result.Output);
        Assert.Contains("its password was set", result.Output);
        Assert.Equal($"{DatabaseOf(admin)}_owner", await WebRole.ScalarAsync<string>(admin, """SELECT pg_get_userbyid(relowner)::text FROM pg_class WHERE relname = 'Todos'"""));
        Assert.Null(await WebRole.SqlStateOfAsync(webLogin, """UPDATE "Todos" SET "IsDone" = true"""));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, await WebRole.SqlStateOfAsync(webLogin, """DROP TABLE "Todos" """));
    }

    [Fact]
    public async Task A_database_an_earlier_version_migrated_as_the_admin_is_taken_over_by_the_owner_role()
    {
        var admin = await server.NewDatabaseAsync();
        var database = DatabaseOf(admin);
        // Earlier versions migrated as the admin, up to the last migration they knew: the idempotent script of those
        // (the transactional ones; an online migration cannot run from a script), run as the admin, leaves the same database.
        var script = Migrations.IdempotentScript(from: null, to: Migrations.Ids[1]);
        await ExecuteOnServerAsync(admin, $"CREATE DATABASE {database}");
        Assert.Null(await WebRole.SqlStateOfAsync(admin, script + """INSERT INTO "Todos" ("Title", "IsDone") VALUES ('from before', false);"""));
        Assert.Equal("postgres", await WebRole.ScalarAsync<string>(admin, """SELECT pg_get_userbyid(relowner)::text FROM pg_class WHERE relname = 'Todos'"""));
        var webLogin = WebRole.Login(admin, $"{database}_web", "Web-Password-8e27");

        var result = await RunAsync(admin, webLogin);

        Assert.True(result.ExitCode == ExitCodes.Success, result.Output);
        Assert.Contains($"{database}_owner owns the schema and runs the migrations (2 object(s) taken over from postgres)", result.Output);
        Assert.Contains($"{Migrations.Ids.Count - 2} migration(s) applied", result.Output);
        // All but the migration lock, which is the admin's own.
        Assert.Equal($"Todos={database}_owner Todos_Id_seq={database}_owner __EFMigrationsChecksums={database}_owner __EFMigrationsHistory={database}_owner " +
            "__EFMigrationsLock=postgres",
            await WebRole.ScalarAsync<string>(admin, """
                SELECT string_agg(relname || '=' || pg_get_userbyid(relowner), ' ' ORDER BY relname COLLATE "C")
                FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'S')
                """));
        Assert.Equal(Migrations.Names, await SchemaSnapshot.HistoryAsync(admin));
        Assert.Equal("from before", await WebRole.ScalarAsync<string>(webLogin, """SELECT "Title" FROM "Todos" WHERE "Title" = 'from before'"""));
    }

    [Fact]
    public async Task Four_concurrent_workers_with_the_web_login_all_exit_0_and_the_login_works()
    {
        var admin = await server.NewDatabaseAsync();
        var webLogin = WebRole.Login(admin, $"{DatabaseOf(admin)}_web", "Web-Password-2d94");

        var workers = Enumerable.Range(0, 4).Select(_ => WorkerProcess.Start(admin, [], WebLogin(webLogin))).ToList();
        var results = await Task.WhenAll(workers.Select(w => w.WaitAsync()));
        foreach (var worker in workers)
        {
            await worker.DisposeAsync();
        }

        Assert.All(results, r => Assert.True(r.ExitCode == ExitCodes.Success, $"A worker exited {r.ExitCode}:\n{r.Output}"));
        Assert.Single(results, r => r.Output.Contains($"{Migrations.Ids.Count} migration(s) applied"));
        Assert.Null(await WebRole.SqlStateOfAsync(webLogin, """SELECT count(*) FROM "Todos" """));
    }

    [Fact]
    public async Task The_web_roles_connection_limit_is_the_budget_given_and_the_server_enforces_it()
    {
        var admin = await server.NewDatabaseAsync();
        var role = $"{DatabaseOf(admin)}_web";
        var webLogin = WebRole.Login(admin, role, "Web-Password-41b7");
        Task<ChildProcessResult> RunWithLimitAsync(string? limit) => WorkerProcess.Start(admin, [], limit is null ? WebLogin(webLogin)
            : new Dictionary<string, string>(WebLogin(webLogin)) { ["Migrations__WebConnectionLimit"] = limit }).WaitAsync();
        Task<int> LimitAsync() => WebRole.ScalarAsync<int>(admin, $"SELECT rolconnlimit FROM pg_roles WHERE rolname = '{role}'");

        var first = await RunWithLimitAsync("3");
        Assert.True(first.ExitCode == ExitCodes.Success, first.Output);
        Assert.Contains($"Role {role} may hold at most 3 connection(s) (Migrations:WebConnectionLimit)", first.Output);
        Assert.Equal(3, await LimitAsync());

        // The server refuses the web role a fourth connection, whatever its pool would ask for.
        var open = new List<NpgsqlConnection>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(webLogin) { Pooling = false }.ConnectionString);
                await connection.OpenAsync(TestContext.Current.CancellationToken);
                open.Add(connection);
            }

            Assert.Equal(PostgresErrorCodes.TooManyConnections, await WebRole.SqlStateOfAsync(webLogin, "SELECT 1"));
        }
        finally
        {
            foreach (var connection in open)
            {
                await connection.DisposeAsync();
            }
        }

        // A new budget is a reason to take the slow path; no budget leaves the limit as it is.
        var raised = await RunWithLimitAsync("5");
        Assert.True(raised.ExitCode == ExitCodes.Success, raised.Output);
        Assert.Contains($"AppDbContext: role {role} may hold 3 connection(s), Migrations:WebConnectionLimit says 5; taking the migration lock", raised.Output);
        Assert.Equal(5, await LimitAsync());
        Assert.Equal(ExitCodes.Success, (await RunWithLimitAsync(null)).ExitCode);
        Assert.Equal(5, await LimitAsync());

        var invalid = await RunWithLimitAsync("-2");
        Assert.Equal(ExitCodes.InvalidArguments, invalid.ExitCode);
        Assert.Equal(("", "Migrations:WebConnectionLimit must be a whole number of connections, at least -1 (no limit); '-2' is not.\n"),
            (invalid.Stdout, invalid.Stderr));
    }

    [Fact]
    public async Task The_web_role_can_neither_take_the_migration_lock_nor_hold_up_a_worker_with_the_old_advisory_key()
    {
        var admin = await server.NewDatabaseAsync();
        var webLogin = WebRole.Login(admin, $"{DatabaseOf(admin)}_web", "Web-Password-d5e9");
        Assert.Equal(ExitCodes.Success, (await WorkerProcess.Start(admin, ["--target", "AddDueDate"], WebLogin(webLogin)).WaitAsync()).ExitCode);

        foreach (var mode in new[] { "ACCESS SHARE", "EXCLUSIVE", "ACCESS EXCLUSIVE" })
        {
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege,
                await WebRole.SqlStateOfAsync(webLogin, $"""BEGIN; LOCK TABLE "{MigrationLock.TableName}" IN {mode} MODE NOWAIT; COMMIT"""));
        }

        // The key workers of earlier releases took (pg_advisory_lock needs no privilege): held by the web role, it
        // stops nothing now. A worker with a migration to apply takes its own lock and goes on.
        await using var web = new NpgsqlConnection(webLogin);
        await web.OpenAsync(TestContext.Current.CancellationToken);
        await Database.ExecuteAsync(web, "SELECT pg_advisory_lock(21754143878239301)"); // 0x4D49_4752_4154_45, "MIGRATE"

        var result = await WorkerProcess.Start(admin, [], new Dictionary<string, string>(WebLogin(webLogin)) { ["Migrations__AdvisoryLockTimeout"] = "00:00:05" }).WaitAsync();

        Assert.True(result.ExitCode == ExitCodes.Success, result.Output);
        Assert.DoesNotContain("Another worker is migrating", result.Output);
        Assert.Equal(Migrations.Names, await SchemaSnapshot.HistoryAsync(admin));
    }

    [Fact]
    public async Task A_web_role_with_power_it_must_not_have_is_refused_with_exit_2_and_an_owner_that_could_log_in_no_longer_can()
    {
        var admin = await server.NewDatabaseAsync();
        var database = DatabaseOf(admin);
        await ExecuteOnServerAsync(admin, $"CREATE ROLE {database}_owner LOGIN; CREATE ROLE {database}_web LOGIN CREATEDB");

        var result = await RunAsync(admin, null);

        Assert.Equal(ExitCodes.InvalidArguments, result.ExitCode);
        Assert.Contains($"The web app's role '{database}_web' has CREATEDB: it must have none of these.", result.Output);
        Assert.Equal("owner-canlogin=false web-createdb=true",
            await WebRole.ScalarAsync<string>(new NpgsqlConnectionStringBuilder(admin) { Database = "postgres" }.ConnectionString, $"""
                SELECT format('owner-canlogin=%s web-createdb=%s',
                       (SELECT rolcanlogin FROM pg_roles WHERE rolname = '{database}_owner')::text,
                       (SELECT rolcreatedb FROM pg_roles WHERE rolname = '{database}_web')::text)
                """));
    }

    [Theory]
    [InlineData("admin", "is the admin login itself")]
    [InlineData("malformed", "The connection string 'appdb-web' is not valid")]
    [InlineData("other database", "names database 'elsewhere', but 'appdb' names")]
    public async Task A_web_login_that_cannot_be_used_exits_2_and_leaves_the_admin_as_it_was(string @case, string message)
    {
        var admin = await server.NewDatabaseAsync();
        var adminName = new NpgsqlConnectionStringBuilder(admin).Username!;
        var webLogin = @case switch
        {
            "admin" => WebRole.Login(admin, adminName, "Hijacked-Password-44aa"),
            "malformed" => "Host=localhost;Bogus Keyword=Hijacked-Password-44aa",
            _ => new NpgsqlConnectionStringBuilder(WebRole.Login(admin, "elsewhere_web", "Hijacked-Password-44aa")) { Database = "elsewhere" }.ConnectionString,
        };

        var result = await RunAsync(admin, webLogin);

        Assert.Equal(ExitCodes.InvalidArguments, result.ExitCode);
        Assert.Contains(message, result.Output);
        Assert.DoesNotContain("Hijacked-Password-44aa", result.Output);
        Assert.Null(await WebRole.SqlStateOfAsync(new NpgsqlConnectionStringBuilder(admin) { Database = "postgres" }.ConnectionString, "SELECT 1"));
    }

    /// <summary>Runs <paramref name="sql"/> as the admin on the server's maintenance database.</summary>
    [Fact]
    public async Task Every_role_loses_temporary_tables_and_the_owners_functions_which_the_owner_and_web_roles_get_back()
    {
        var admin = await server.NewDatabaseAsync();
        var database = DatabaseOf(admin);

        var result = await RunAsync(admin, null);

        Assert.True(result.ExitCode == ExitCodes.Success, result.Output);
        // The sample's one function is AddUpdatedAt's trigger function, which the owner role created.
        Assert.Equal("public-temp=false owner-temp=true web-temp=false public-execute=false web-execute=true",
            await WebRole.ScalarAsync<string>(admin, $"""
                SELECT format('public-temp=%s owner-temp=%s web-temp=%s public-execute=%s web-execute=%s',
                       has_database_privilege('public', current_database(), 'TEMP')::text,
                       has_database_privilege('{database}_owner', current_database(), 'TEMP')::text,
                       has_database_privilege('{database}_web', current_database(), 'TEMP')::text,
                       has_function_privilege('public', '"Todos_UpdatedAt_touch"()', 'EXECUTE')::text,
                       has_function_privilege('{database}_web', '"Todos_UpdatedAt_touch"()', 'EXECUTE')::text)
                """));
    }

    [Theory]
    [InlineData("member of the owner role", "GRANT {0}_owner TO {0}_web", "is a member of {0}_owner")]
    [InlineData("with a member", "CREATE ROLE {0}_friend; GRANT {0}_web TO {0}_friend", "has {0}_friend as member(s)")]
    [InlineData("owning a table", "CREATE TABLE {0}_web_table (id int); ALTER TABLE {0}_web_table OWNER TO {0}_web", "owns 1 object(s)")]
    public async Task A_web_role_that_borrows_or_lends_privileges_or_owns_objects_is_refused_with_exit_2_on_a_migrated_database_too(
        string @case, string setup, string clause)
    {
        Assert.NotEmpty(@case);
        var admin = await server.NewDatabaseAsync();
        var database = DatabaseOf(admin);
        var migrated = await RunAsync(admin, null);
        Assert.True(migrated.ExitCode == ExitCodes.Success, migrated.Output);
        await ExecuteOnServerAsync(admin, string.Format(CultureInfo.InvariantCulture, setup, database));

        // Nothing to migrate: the fast path must see it too, and hand over to the role setup, which refuses.
        var result = await RunAsync(admin, null);

        Assert.Equal(ExitCodes.InvalidArguments, result.ExitCode);
        Assert.Contains($"The web app's role '{database}_web' {string.Format(CultureInfo.InvariantCulture, clause, database)}: it must be a role of its own.",
            result.Output);
    }

    private static async Task ExecuteOnServerAsync(string admin, string sql) =>
        Assert.Null(await WebRole.SqlStateOfAsync(new NpgsqlConnectionStringBuilder(admin) { Database = "postgres" }.ConnectionString, sql));
}
