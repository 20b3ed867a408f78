using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationTests;

/// <summary>The whole graph on a fresh database: Postgres starts, the worker migrates, seeds and exits 0, the web app serves.</summary>
public sealed class HappyPathTests(StartedGraph graph) : IClassFixture<StartedGraph>
{
    private static readonly string[] ExpectedMigrations = ["InitialSchema", "AddDueDate", "AddUpdatedAt"];

    [Fact]
    public async Task Migrations_finish_with_exit_code_0()
    {
        var app = await graph.GetAsync();

        var snapshot = await app.WaitForExitAsync("migrations");

        Assert.Equal(KnownResourceStates.Finished, snapshot.State?.Text);
        Assert.Equal(0, snapshot.ExitCode);
    }

    [Fact]
    public async Task Webapp_becomes_healthy()
    {
        var app = await graph.GetAsync();

        await app.WaitForHealthyAsync("webapp");

        using var http = app.CreateHttpClient("webapp");
        using var response = await http.GetAsync("/health", TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"/health answered {(int)response.StatusCode}");
    }

    [Fact]
    public async Task Api_returns_the_seeded_todos()
    {
        var app = await graph.GetAsync();
        using var http = app.CreateHttpClient("webapp");

        var todos = await http.GetFromJsonAsync<List<TodoDto>>("/api/todos", TestContext.Current.CancellationToken);

        Assert.NotNull(todos);
        Assert.Superset(
            new HashSet<string>(["Read the README", "Run the AppHost and open the dashboard", "Add a migration of your own"]),
            todos.Select(t => t.Title).ToHashSet());
    }

    [Fact]
    public async Task History_holds_every_migration_in_order()
    {
        var app = await graph.GetAsync();
        await app.WaitForExitAsync("migrations");

        var applied = await Database.AppliedMigrationsAsync(app);

        Assert.Equal(ExpectedMigrations, applied.Select(id => id[(id.IndexOf('_') + 1)..]));
    }

    [Fact]
    public async Task Worker_logs_each_migration_and_never_the_password()
    {
        var app = await graph.GetAsync();
        await app.WaitForExitAsync("migrations");
        var password = await Database.PasswordAsync(app);

        var logs = await app.GetLogsAsync("migrations");

        foreach (var migration in ExpectedMigrations)
        {
            Assert.Matches($"Applied migration \\d+_{migration}", logs);
        }

        Assert.Contains("3 migration(s) applied", logs);
        Assert.False(string.IsNullOrEmpty(password));
        Assert.DoesNotContain(password!, logs);
    }

    private sealed record TodoDto(int Id, string Title, bool IsDone, DateOnly? DueDate);
}
