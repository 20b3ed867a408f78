using System.Net;
using System.Net.Http.Json;
using SafeMigrations.Worker;

namespace IntegrationTests;

/// <summary>The worker started again under the AppHost (the dashboard's Start command) on an up-to-date database.</summary>
public sealed class WorkerRerunTests(StartedGraph graph) : IClassFixture<StartedGraph>
{
    [Fact]
    public async Task Second_run_under_the_AppHost_applies_nothing_and_a_list_the_user_emptied_stays_empty()
    {
        var app = await graph.GetAsync();
        Assert.Equal(ExitCodes.Success, (await app.WaitForExitAsync("migrations")).ExitCode);
        await app.WaitForHealthyAsync("webapp");
        using var http = app.CreateHttpClient("webapp");
        var ct = TestContext.Current.CancellationToken;

        // The user deletes every to-do, through the app.
        var todos = (await http.GetFromJsonAsync<List<Todo>>("/api/todos", ct))!;
        Assert.NotEmpty(todos);
        foreach (var todo in todos)
        {
            using var deleted = await http.DeleteAsync($"/api/todos/{todo.Id}", ct);
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        var start = await app.ResourceCommands.ExecuteCommandAsync("migrations", KnownResourceCommands.StartCommand, ct);
        Assert.True(start.Success, start.Message);

        await Poll.UntilAsync(async _ => (await app.GetLogsAsync("migrations")).Contains("0 migration(s) applied", StringComparison.Ordinal));
        var rerun = await app.WaitForExitAsync("migrations");
        Assert.Equal(ExitCodes.Success, rerun.ExitCode);
        var logs = await app.GetLogsAsync("migrations");
        Assert.Contains("AppDbContext: nothing to do, so the migration lock was not taken", logs);
        Assert.Equal(Migrations.Ids, await Database.AppliedMigrationsAsync(app));
        Assert.Empty((await http.GetFromJsonAsync<List<Todo>>("/api/todos", ct))!);
    }

    private sealed record Todo(int Id, string Title);
}
