using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace IntegrationTests;

/// <summary>
/// Least privilege in the running graph: the web app logs in as its own role (appdb_web), which may read and write rows
/// and nothing more; the schema belongs to appdb_owner, which cannot log in.
/// </summary>
public sealed class WebRoleTests(StartedGraph graph) : IClassFixture<StartedGraph>
{
    [Fact]
    public async Task Webapp_receives_its_own_login_and_nothing_of_the_admins()
    {
        var app = await graph.GetAsync();
        var webapp = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ProjectResource>().Single(r => r.Name == "webapp");
        var adminPassword = await Database.PasswordAsync(app);

        // The environment the web app was started with, resolved as Aspire resolves it.
        var configuration = await ExecutionConfigurationBuilder.Create(webapp).WithEnvironmentVariablesConfig()
            .BuildAsync(app.Services.GetRequiredService<DistributedApplicationExecutionContext>(), NullLogger.Instance, TestContext.Current.CancellationToken);
        var environment = configuration.EnvironmentVariables.ToDictionary();

        var received = new NpgsqlConnectionStringBuilder(environment["ConnectionStrings__appdb"]);
        Assert.Equal(await WebRole.ConnectionStringAsync(app), environment["ConnectionStrings__appdb"]);
        Assert.Equal("appdb_web", received.Username);
        Assert.Equal("appdb", received.Database);
        Assert.Equal(await WebRole.PasswordAsync(app), received.Password);
        Assert.NotEqual(adminPassword, received.Password);
        Assert.DoesNotContain(environment, variable => variable.Value.Contains(adminPassword, StringComparison.Ordinal));
        await app.WaitForStateAsync("appdb-web", KnownResourceStates.Running); // as the dashboard shows it
    }

    [Fact]
    public async Task Web_role_is_neither_superuser_nor_able_to_create_roles_or_databases()
    {
        var app = await graph.GetAsync();

        var powers = await WebRole.ScalarAsync<string>(await WebRole.ConnectionStringAsync(app),
            "SELECT format('%s super=%s createrole=%s createdb=%s', current_user, rolsuper::text, rolcreaterole::text, rolcreatedb::text) FROM pg_roles WHERE rolname = current_user");

        Assert.Equal("appdb_web super=false createrole=false createdb=false", powers);
    }

    [Theory]
    [InlineData("CREATE TABLE \"Intruder\" (id int)")]
    [InlineData("DROP TABLE \"Todos\"")]
    [InlineData("ALTER TABLE \"Todos\" ADD \"Intruder\" int")]
    [InlineData("TRUNCATE \"Todos\"")]
    [InlineData("COPY (SELECT 1) TO PROGRAM 'id'")]
    [InlineData("CREATE ROLE intruder")]
    [InlineData("DROP DATABASE appdb")]
    [InlineData("CREATE SCHEMA intruder")]
    [InlineData("INSERT INTO \"__EFMigrationsHistory\" VALUES ('99999999999999_Forged', '10.0.0')")]
    [InlineData("DELETE FROM \"__EFMigrationsHistory\"")]
    [InlineData("SELECT * FROM \"__EFMigrationsChecksums\"")]
    [InlineData("UPDATE \"__EFMigrationsChecksums\" SET \"Checksum\" = repeat('0', 64)")]
    [InlineData("SELECT * FROM \"__EFMigrationsLock\"")]
    [InlineData("BEGIN; LOCK TABLE \"__EFMigrationsLock\" IN EXCLUSIVE MODE; COMMIT")]
    public async Task Web_role_may_not_change_the_schema_the_history_take_the_migration_lock_or_reach_the_server_host(string statement)
    {
        var app = await graph.GetAsync();

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, await WebRole.SqlStateOfAsync(await WebRole.ConnectionStringAsync(app), statement));
    }

    [Fact]
    public async Task Api_create_read_replace_delete_and_health_work_as_the_web_role()
    {
        var app = await graph.GetAsync();
        using var http = app.CreateHttpClient("webapp");
        var ct = TestContext.Current.CancellationToken;

        using var created = await http.PostAsJsonAsync("/api/todos", new { title = "Written as appdb_web", dueDate = "2026-12-24" }, ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var todo = (await created.Content.ReadFromJsonAsync<Todo>(ct))!;
        Assert.Equal("Written as appdb_web", (await http.GetFromJsonAsync<Todo>($"/api/todos/{todo.Id}", ct))!.Title);
        using var replaced = await http.PutAsJsonAsync($"/api/todos/{todo.Id}", new { title = "Replaced", isDone = true }, ct);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal(new Todo(todo.Id, "Replaced", true), await replaced.Content.ReadFromJsonAsync<Todo>(ct));
        using var deleted = await http.DeleteAsync($"/api/todos/{todo.Id}", ct);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await http.GetAsync($"/api/todos/{todo.Id}", ct);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        using var health = await http.GetAsync("/health", ct);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task A_table_a_later_migration_adds_is_readable_and_writable_by_the_web_role_with_no_grant_of_its_own()
    {
        var app = await graph.GetAsync();
        // What a later migration does: the worker's session acts as appdb_owner (SET ROLE) and creates a table, granting nothing.
        await Database.ExecuteAsync(app, """
            SET ROLE appdb_owner;
            CREATE TABLE "LaterFeature" ("Id" int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "Note" text NOT NULL);
            """);
        var web = await WebRole.ConnectionStringAsync(app);

        Assert.Null(await WebRole.SqlStateOfAsync(web, """INSERT INTO "LaterFeature" ("Note") VALUES ('added')"""));
        Assert.Null(await WebRole.SqlStateOfAsync(web, """UPDATE "LaterFeature" SET "Note" = 'changed'"""));
        Assert.Equal("changed", await WebRole.ScalarAsync<string>(web, """SELECT "Note" FROM "LaterFeature" """));
        Assert.Null(await WebRole.SqlStateOfAsync(web, """DELETE FROM "LaterFeature" """));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, await WebRole.SqlStateOfAsync(web, """DROP TABLE "LaterFeature" """));
        // Exactly the row rights, nothing more (however held: its own grants, PUBLIC's, a role it belongs to).
        await using var connection = await Database.OpenAsync(app);
        Assert.Equal(["DELETE", "INSERT", "SELECT", "UPDATE"], await Database.QueryAsync<string>(connection, """
            SELECT privilege FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) AS privilege
            WHERE has_table_privilege('appdb_web', '"LaterFeature"', privilege) ORDER BY 1
            """));
    }

    [Fact]
    public async Task The_schema_belongs_to_appdb_owner_which_cannot_log_in()
    {
        var app = await graph.GetAsync();
        await app.WaitForExitAsync("migrations");
        await using var connection = await Database.OpenAsync(app);

        var owners = await Database.QueryAsync<string>(connection, """
            SELECT DISTINCT pg_get_userbyid(relowner)::text FROM pg_class
            WHERE relnamespace = 'public'::regnamespace AND relname IN ('Todos', 'Todos_Id_seq', '__EFMigrationsHistory')
            """);

        Assert.Equal(["appdb_owner"], owners);
        Assert.Equal([false], await Database.QueryAsync<bool>(connection, "SELECT rolcanlogin FROM pg_roles WHERE rolname = 'appdb_owner'"));
    }

    [Fact]
    public async Task Worker_reports_the_roles_and_no_log_holds_either_password()
    {
        var app = await graph.GetAsync();
        await app.WaitForExitAsync("migrations");
        var passwords = new[] { await Database.PasswordAsync(app), await WebRole.PasswordAsync(app) };

        var worker = await app.GetLogsAsync("migrations");
        var webapp = await app.GetLogsAsync("webapp");

        Assert.Contains("Roles of database appdb: appdb_owner owns the schema and runs the migrations (0 object(s) taken over from postgres); " +
            "appdb_web (the web app) may read and write rows; its password was set", worker);
        Assert.All(passwords, password => Assert.False(string.IsNullOrEmpty(password)));
        Assert.All(passwords, password => Assert.DoesNotContain(password, worker + webapp));
        Assert.DoesNotContain("SCRAM-SHA-256$", worker);
    }

    private sealed record Todo(int Id, string Title, bool IsDone);
}
