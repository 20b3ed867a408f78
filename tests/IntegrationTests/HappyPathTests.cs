using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MigrationService;
using SafeMigrations.Worker;

namespace IntegrationTests;

/// <summary>
/// The whole graph on a fresh database: Postgres starts, the worker migrates, seeds and exits 0, the web app serves.
/// The tests marked Smoke hold on any newer schema too: a later build's compatibility check (compat/run) runs them.
/// </summary>
public sealed class HappyPathTests(StartedGraph graph) : IClassFixture<StartedGraph>
{
    [Fact]
    [Trait("Category", "Smoke")]
    public async Task Migrations_finish_with_exit_code_0()
    {
        var app = await graph.GetAsync();

        var snapshot = await app.WaitForExitAsync("migrations");

        Assert.Equal(KnownResourceStates.Finished, snapshot.State?.Text);
        Assert.Equal(0, snapshot.ExitCode);
    }

    [Fact]
    [Trait("Category", "Smoke")]
    public async Task Webapp_becomes_healthy()
    {
        var app = await graph.GetAsync();
        Assert.Equal(0, (await app.WaitForExitAsync("migrations")).ExitCode);

        // Once the worker has applied every migration the web app must be ready: asked directly (no retries to hide a 503),
        // /health answers 200, and its report (Development: with details) says the migrations check passed.
        using var http = app.CreatePlainClient();
        using var response = await http.GetAsync("/health", TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/health answered {(int)response.StatusCode}: {body}");
        using var report = JsonDocument.Parse(body);
        Assert.Equal("Healthy", report.RootElement.GetProperty("status").GetString());
        var checks = report.RootElement.GetProperty("checks").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString());
        Assert.Equal(new Dictionary<string, string?> { ["pending-migrations"] = "Healthy", ["self"] = "Healthy" }, checks);
    }

    [Fact]
    public async Task Api_returns_the_seeded_todos_once_each_in_seed_order()
    {
        var app = await graph.GetAsync();
        using var http = app.CreateHttpClient("webapp");

        var todos = await http.GetFromJsonAsync<List<TodoDto>>("/api/todos", TestContext.Current.CancellationToken);

        // All open and undated, so the list order falls back to creation order: the seed's.
        Assert.Equal(AppDbSeeder.Titles.Select(title => (title, false, (DateOnly?)null)), todos!.Select(t => (t.Title, t.IsDone, t.DueDate)));
    }

    [Fact]
    public async Task History_holds_every_migration_in_order()
    {
        var app = await graph.GetAsync();
        await app.WaitForExitAsync("migrations");

        var applied = await Database.AppliedMigrationsAsync(app);

        Assert.Equal(Migrations.Ids, applied);
    }

    [Fact]
    public async Task Worker_logs_each_migration_and_never_the_password()
    {
        var app = await graph.GetAsync();
        await app.WaitForExitAsync("migrations");
        var password = await Database.PasswordAsync(app);

        var logs = await app.GetLogsAsync("migrations");

        foreach (var migration in Migrations.Ids)
        {
            Assert.Contains($"Applied migration {migration}", logs);
        }

        Assert.Contains($"{Migrations.Ids.Count} migration(s) applied", logs);
        Assert.False(string.IsNullOrEmpty(password));
        Assert.DoesNotContain(password!, logs);
    }

    private sealed record TodoDto(int Id, string Title, bool IsDone, DateOnly? DueDate);
}
