using System.Net.Http.Json;
using SafeMigrations.Worker;

namespace IntegrationTests;

/// <summary>
/// <c>Postgres:Mode=External</c>: the graph brings no server and uses an existing one through <c>ConnectionStrings:appdb</c>
/// — here a PostgreSQL server started outside this AppHost (the shared <see cref="PostgresServer"/>), on a database that
/// does not exist yet.
/// </summary>
public sealed class ExternalModeTests(PostgresServer server)
{
    [Fact]
    public async Task Happy_path_runs_against_an_existing_server()
    {
        var connectionString = await server.NewDatabaseAsync();
        // External mode takes the web app's login as a connection string too; the worker creates its role.
        var webLogin = WebRole.Login(connectionString, $"{new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database}_web", "External-Web-Password-3f");
        var builder = await TestGraph.CreateBuilderAsync("--Postgres:Mode=External", $"--ConnectionStrings:appdb={connectionString}",
            $"--ConnectionStrings:appdb-web={webLogin}");
        Assert.DoesNotContain(builder.Resources, r => r.Name == "postgres");

        await using var app = await TestGraph.StartAsync(builder);

        var migrations = await app.WaitForExitAsync("migrations");
        Assert.Equal(ExitCodes.Success, migrations.ExitCode);
        await app.WaitForHealthyAsync("webapp");
        using var http = app.CreateHttpClient("webapp");
        var todos = await http.GetFromJsonAsync<List<TodoTitle>>("/api/todos", TestContext.Current.CancellationToken);
        Assert.Equal(3, todos?.Count);
        Assert.Equal(Migrations.Names, await SchemaSnapshot.HistoryAsync(connectionString));
        Assert.Equal(webLogin, await WebRole.ConnectionStringAsync(app));
        Assert.Null(await WebRole.SqlStateOfAsync(webLogin, """SELECT count(*) FROM "Todos" """));
    }

    private sealed record TodoTitle(string Title);
}
