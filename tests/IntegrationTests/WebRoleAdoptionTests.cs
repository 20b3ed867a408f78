using SafeMigrations.Worker;
using Npgsql;

namespace IntegrationTests;

/// <summary>
/// The worker marks the web roles it creates and does not take over silently a login role it did not create: refused
/// with exit 2 unless <c>Migrations:AdoptWebRole</c>; a web role an earlier release created (unmarked, with this
/// database's CONNECT grant) is marked and kept.
/// </summary>
public sealed class WebRoleAdoptionTests(PostgresServer server)
{
    private const string TheirPassword = "Their-Password-5a1e";
    private const string WebPassword = "Web-Password-3f70";

    [Fact]
    public async Task A_login_role_the_worker_did_not_create_is_refused_with_exit_2_and_left_as_it_was()
    {
        var admin = await server.NewDatabaseAsync();
        var role = $"{DatabaseOf(admin)}_web";
        await ExecuteOnServerAsync(admin, $"CREATE ROLE {role} LOGIN PASSWORD '{TheirPassword}'");

        var refused = await RunAsync(admin, role);

        Assert.Equal(ExitCodes.InvalidArguments, refused.ExitCode);
        Assert.Equal(
            [$"The web app's role '{role}' is a login role the worker did not create: the role setup would change its password and " +
             "privileges. Give the web app a role of its own (the Username of its connection string), or, if that role is meant " +
             "for it, run with Migrations:AdoptWebRole=true to take it over. Nothing was migrated."],
            WorkerProcess.LoggedErrors(refused.Output));
        Assert.Empty(await SchemaSnapshot.HistoryAsync(admin));
        Assert.Equal("<none>", await MarkAsync(admin, role));
        // Its own password still logs it in (to the server's maintenance database, which every role may reach).
        Assert.Null(await WebRole.SqlStateOfAsync(WebRole.Login(Maintenance(admin), role, TheirPassword), "SELECT 1"));
        Assert.DoesNotContain(WebPassword, refused.Output);
    }

    [Fact]
    public async Task With_AdoptWebRole_the_login_role_is_taken_over_marked_and_the_next_run_needs_no_consent()
    {
        var admin = await server.NewDatabaseAsync();
        var role = $"{DatabaseOf(admin)}_web";
        await ExecuteOnServerAsync(admin, $"CREATE ROLE {role} LOGIN PASSWORD '{TheirPassword}'");

        var adopted = await RunAsync(admin, role, ("Migrations__AdoptWebRole", "true"));

        Assert.True(adopted.ExitCode == ExitCodes.Success, adopted.Output);
        Assert.Contains($"Taking over login role {role} as the web app's role of database {DatabaseOf(admin)}, as Migrations:AdoptWebRole allows", adopted.Output);
        Assert.Equal(WebRoleMarker.Text(DatabaseOf(admin)), await MarkAsync(admin, role));
        Assert.Null(await WebRole.SqlStateOfAsync(WebRole.Login(admin, role, WebPassword), """SELECT count(*) FROM "Todos" """));

        var next = await RunAsync(admin, role);

        Assert.True(next.ExitCode == ExitCodes.Success, next.Output);
        Assert.Contains("AppDbContext: nothing to do", next.Output);
    }

    [Fact]
    public async Task A_web_role_an_earlier_release_created_without_the_mark_is_marked_and_kept()
    {
        var admin = await server.NewDatabaseAsync();
        var role = $"{DatabaseOf(admin)}_web";
        Assert.Equal(ExitCodes.Success, (await RunAsync(admin, role)).ExitCode);
        Assert.Equal(WebRoleMarker.Text(DatabaseOf(admin)), await MarkAsync(admin, role));
        // What an earlier release left: the same role and grants, no mark.
        await ExecuteOnServerAsync(admin, $"COMMENT ON ROLE {role} IS NULL");

        var upgraded = await RunAsync(admin, role);

        Assert.True(upgraded.ExitCode == ExitCodes.Success, upgraded.Output);
        Assert.Contains($"AppDbContext: role {role} is not marked as this database's web role; taking the migration lock", upgraded.Output);
        Assert.Contains($"Role {role} holds the grants of database {DatabaseOf(admin)}'s web role (an earlier release set it up): marked as such", upgraded.Output);
        Assert.Equal(WebRoleMarker.Text(DatabaseOf(admin)), await MarkAsync(admin, role));
        Assert.Null(await WebRole.SqlStateOfAsync(WebRole.Login(admin, role, WebPassword), """SELECT count(*) FROM "Todos" """));
    }

    /// <summary>The worker with the web login <paramref name="role"/> / <see cref="WebPassword"/>, and <paramref name="settings"/>.</summary>
    private static Task<ChildProcessResult> RunAsync(string admin, string role, params (string Key, string Value)[] settings)
    {
        var environment = settings.ToDictionary(s => s.Key, s => s.Value);
        environment["ConnectionStrings__appdb-web"] = WebRole.Login(admin, role, WebPassword);
        return WorkerProcess.Start(admin, [], environment).WaitAsync();
    }

    private static Task<string> MarkAsync(string admin, string role) => WebRole.ScalarAsync<string>(Maintenance(admin),
        $"SELECT coalesce(shobj_description(oid, 'pg_authid'), '<none>') FROM pg_roles WHERE rolname = '{role}'");

    private static string DatabaseOf(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString).Database!;

    private static string Maintenance(string admin) => new NpgsqlConnectionStringBuilder(admin) { Database = "postgres" }.ConnectionString;

    private static async Task ExecuteOnServerAsync(string admin, string sql) => Assert.Null(await WebRole.SqlStateOfAsync(Maintenance(admin), sql));
}
