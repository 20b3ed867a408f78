using System.Net.Http.Json;
using MigrationService;

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
        var builder = await TestGraph.CreateBuilderAsync("--Postgres:Mode=External", $"--ConnectionStrings:appdb={connectionString}");
        Assert.DoesNotContain(builder.Resources, r => r.Name == "postgres");

        await using var app = await TestGraph.StartAsync(builder);

        var migrations = await app.WaitForExitAsync("migrations");
        Assert.Equal(ExitCodes.Success, migrations.ExitCode);
        await app.WaitForHealthyAsync("webapp");
        using var http = app.CreateHttpClient("webapp");
        var todos = await http.GetFromJsonAsync<List<TodoTitle>>("/api/todos", TestContext.Current.CancellationToken);
        Assert.Equal(3, todos?.Count);
        Assert.Equal(["InitialSchema", "AddDueDate", "AddUpdatedAt"], await SchemaSnapshot.HistoryAsync(connectionString));
    }

    private sealed record TodoTitle(string Title);
}
