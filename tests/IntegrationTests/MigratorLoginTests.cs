using Npgsql;
using SafeMigrations.Worker;

namespace IntegrationTests;

/// <summary>
/// The worker without the admin's credential, as the cloud's init container runs it: an admin that is no superuser (as
/// on a managed server) runs the bootstrap the worker prints (<c>--bootstrap-sql</c>) with psql; the worker then migrates
/// with the migrator login, as the owner role, verifies the roles, and refuses roles the bootstrap did not leave so.
/// </summary>
public sealed class MigratorLoginTests(PostgresServer server)
{
    private const string WebPassword = "Web-Password-3f9a";
    private const string MigratorPassword = "Migrator-Password-b27c";

    /// <summary>A database (not created yet), a CREATEROLE admin of its own, and the logins the bootstrap makes.</summary>
    private sealed record Deployment(string Superuser, string Admin, string Database, string Migrator, string Web)
    {
        public string Owner => $"{Database}_owner";

        public Dictionary<string, string> WebLogin => new() { ["ConnectionStrings__appdb-web"] = Web };
    }

    private async Task<Deployment> NewDeploymentAsync()
    {
        var superuser = await server.NewDatabaseAsync();
        var database = new NpgsqlConnectionStringBuilder(superuser).Database!;
        var manager = $"manager_{Guid.NewGuid():N}"[..24];
        Assert.Null(await WebRole.SqlStateOfAsync(OnServer(superuser), $"CREATE ROLE {manager} LOGIN CREATEDB CREATEROLE PASSWORD 'Manager-Password-61e4'"));
        return new Deployment(superuser, WebRole.Login(superuser, manager, "Manager-Password-61e4"), database,
            WebRole.Login(superuser, $"{database}_migrator", MigratorPassword), WebRole.Login(superuser, $"{database}_web", WebPassword));
    }

    private static string OnServer(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres" }.ConnectionString;

    /// <summary>Prints the bootstrap with the worker and runs it with psql as the admin, the passwords in its environment.</summary>
    private static async Task<ChildProcessResult> BootstrapAsync(Deployment deployment, string? migratorPassword = MigratorPassword, int? webConnectionLimit = null)
    {
        var printed = await WorkerProcess.Start(deployment.Admin, ["--bootstrap-sql"], deployment.WebLogin).WaitAsync();
        Assert.True(printed.ExitCode == ExitCodes.Success, printed.Output);
        var script = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(script, printed.Stdout);
            var admin = new NpgsqlConnectionStringBuilder(deployment.Admin);
            var prefix = deployment.Database.ToUpperInvariant();
            return await ChildProcess.RunAsync("psql", ["-X", "-f", script], startInfo =>
            {
                // Only the environment the bootstrap job has: the admin's login and the passwords.
                (startInfo.Environment["PGHOST"], startInfo.Environment["PGPORT"]) = (admin.Host!, admin.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
                (startInfo.Environment["PGUSER"], startInfo.Environment["PGPASSWORD"], startInfo.Environment["PGDATABASE"]) = (admin.Username!, admin.Password!, "postgres");
                startInfo.Environment[$"{prefix}_WEB_PASSWORD"] = WebPassword;
                startInfo.Environment.Remove($"{prefix}_MIGRATOR_PASSWORD");
                startInfo.Environment.Remove($"{prefix}_WEB_CONNECTION_LIMIT");
                if (webConnectionLimit is { } limit)
                {
                    startInfo.Environment[$"{prefix}_WEB_CONNECTION_LIMIT"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                if (migratorPassword is not null)
                {
                    startInfo.Environment[$"{prefix}_MIGRATOR_PASSWORD"] = migratorPassword;
                }
            });
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Fact]
    public async Task After_the_bootstrap_the_migrator_login_migrates_as_the_owner_role_says_so_in_one_line_and_the_web_login_works()
    {
        var deployment = await NewDeploymentAsync();
        var bootstrap = await BootstrapAsync(deployment);
        Assert.True(bootstrap.ExitCode == 0, bootstrap.Output);
        var again = await BootstrapAsync(deployment);
        Assert.True(again.ExitCode == 0, "The bootstrap runs again (idempotent):\n" + again.Output);

        var result = await WorkerProcess.Start(deployment.Migrator, [], deployment.WebLogin).WaitAsync();

        Assert.True(result.ExitCode == ExitCodes.Success, result.Output);
        Assert.Single(result.Output.Split('\n'), line => line.Contains(
            $"Login {deployment.Database}_migrator may act as role {deployment.Owner} but may not create roles: the roles and grants of " +
            $"database {deployment.Database} are verified, not set up (the bootstrap's: --bootstrap-sql); the admin-only steps are skipped",
            StringComparison.Ordinal));
        Assert.Contains($"{Migrations.Ids.Count} migration(s) applied", result.Output);
        Assert.Equal(Migrations.Names, await SchemaSnapshot.HistoryAsync(deployment.Superuser));
        // Everything is the owner role's, the migration lock's table too; the web role has rows only, and nothing on the lock.
        Assert.Equal("", await WebRole.ScalarAsync<string>(deployment.Superuser, $"""
            SELECT coalesce(string_agg(relname, ' '), '') FROM pg_class
            WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'S') AND pg_get_userbyid(relowner) <> '{deployment.Owner}'
            """));
        Assert.Null(await WebRole.SqlStateOfAsync(deployment.Web, """UPDATE "Todos" SET "IsDone" = true"""));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, await WebRole.SqlStateOfAsync(deployment.Web, """DROP TABLE "Todos" """));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, await WebRole.SqlStateOfAsync(deployment.Web, """SELECT FROM "__EFMigrationsLock" """));
        // The migrator login itself inherits nothing and may create no role or database: it only acts as the owner role.
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, await WebRole.SqlStateOfAsync(deployment.Migrator, """SELECT count(*) FROM "Todos" """));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, await WebRole.SqlStateOfAsync(deployment.Migrator, "CREATE ROLE intruder"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, await WebRole.SqlStateOfAsync(deployment.Migrator, "CREATE DATABASE intruder"));
        foreach (var output in new[] { bootstrap.Output, again.Output, result.Output })
        {
            Assert.DoesNotContain(WebPassword, output);
            Assert.DoesNotContain(MigratorPassword, output);
        }

        // The admin's worker (the migrations job) and the migrator's take turns on the same database; with nothing to do,
        // the migrator's takes the fast path.
        var asAdmin = await WorkerProcess.Start(deployment.Admin, [], deployment.WebLogin).WaitAsync();
        Assert.True(asAdmin.ExitCode == ExitCodes.Success, asAdmin.Output);
        var rerun = await WorkerProcess.Start(deployment.Migrator, [], deployment.WebLogin).WaitAsync();
        Assert.True(rerun.ExitCode == ExitCodes.Success, rerun.Output);
        Assert.Contains("nothing to do, so the migration lock was not taken", rerun.Output);
    }

    [Theory]
    [InlineData("GRANT {0}_owner TO {0}_web", "role {0}_web is a member of a role, has members or owns objects")]
    [InlineData("GRANT CONNECT ON DATABASE {0} TO PUBLIC", "every role (PUBLIC) may connect to the database")]
    [InlineData("ALTER ROLE {0}_web PASSWORD 'Another-Password-0d1e'", "the web login {0}_web did not log in (28P01: password authentication failed for user \"{0}_web\")")]
    public async Task The_migrator_login_refuses_roles_that_are_not_as_the_bootstrap_left_them_with_exit_2_and_migrates_nothing(string change, string problem)
    {
        var deployment = await NewDeploymentAsync();
        var bootstrap = await BootstrapAsync(deployment);
        Assert.True(bootstrap.ExitCode == 0, bootstrap.Output);
        Assert.Null(await WebRole.SqlStateOfAsync(OnServer(deployment.Superuser), string.Format(System.Globalization.CultureInfo.InvariantCulture, change, deployment.Database)));

        var result = await WorkerProcess.Start(deployment.Migrator, [], deployment.WebLogin).WaitAsync();

        Assert.Equal(ExitCodes.InvalidArguments, result.ExitCode);
        Assert.Equal([$"The roles of database {deployment.Database} are not as the bootstrap sets them up: " +
                      string.Format(System.Globalization.CultureInfo.InvariantCulture, problem, deployment.Database) + ". " +
                      $"Login {deployment.Database}_migrator may not set them up; run the bootstrap as the admin (the SQL the worker prints " +
                      "with --bootstrap-sql), or run the worker once with the admin's login. Nothing was migrated."],
            WorkerProcess.LoggedErrors(result.Output));
        Assert.Empty(await SchemaSnapshot.HistoryAsync(deployment.Superuser));
    }

    [Fact]
    public async Task The_migrator_login_migrates_while_the_web_role_is_at_its_connection_limit_as_during_a_rollout_at_full_load()
    {
        var deployment = await NewDeploymentAsync();
        var bootstrap = await BootstrapAsync(deployment, webConnectionLimit: 1);
        Assert.True(bootstrap.ExitCode == 0, bootstrap.Output);
        Assert.Equal(1, await WebRole.ScalarAsync<int>(deployment.Superuser, $"SELECT rolconnlimit FROM pg_roles WHERE rolname = '{deployment.Database}_web'"));
        await using var serving = new NpgsqlConnection(deployment.Web);
        await serving.OpenAsync(TestContext.Current.CancellationToken);
        Assert.Equal(PostgresErrorCodes.TooManyConnections, await WebRole.SqlStateOfAsync(deployment.Web, "SELECT 1"));

        var result = await WorkerProcess.Start(deployment.Migrator, [], deployment.WebLogin).WaitAsync();

        Assert.True(result.ExitCode == ExitCodes.Success, result.Output);
        Assert.Equal(Migrations.Names, await SchemaSnapshot.HistoryAsync(deployment.Superuser));
    }

    [Fact]
    public async Task The_bootstrap_without_a_password_in_its_environment_fails_and_creates_no_role()
    {
        var deployment = await NewDeploymentAsync();

        var bootstrap = await BootstrapAsync(deployment, migratorPassword: null);

        Assert.NotEqual(0, bootstrap.ExitCode);
        Assert.Contains($"printenv {deployment.Database.ToUpperInvariant()}_MIGRATOR_PASSWORD", bootstrap.Output);
        Assert.Equal(0, await WebRole.ScalarAsync<long>(OnServer(deployment.Superuser),
            $"SELECT count(*) FROM pg_roles WHERE rolname LIKE '{deployment.Database}\\_%'"));
    }
}
