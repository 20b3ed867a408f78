using MigrationService;

namespace IntegrationTests;

/// <summary>The worker started again under the AppHost (the dashboard's Start command) on an up-to-date database.</summary>
public sealed class WorkerRerunTests(StartedGraph graph) : IClassFixture<StartedGraph>
{
    [Fact]
    public async Task Second_run_under_the_AppHost_applies_nothing_seeds_nothing_and_exits_0()
    {
        var app = await graph.GetAsync();
        Assert.Equal(ExitCodes.Success, (await app.WaitForExitAsync("migrations")).ExitCode);
        var todosBefore = await CountTodosAsync(app);

        var start = await app.ResourceCommands.ExecuteCommandAsync("migrations", KnownResourceCommands.StartCommand,
            TestContext.Current.CancellationToken);
        Assert.True(start.Success, start.Message);

        await Poll.UntilAsync(async _ => (await app.GetLogsAsync("migrations")).Contains("0 migration(s) applied", StringComparison.Ordinal));
        var rerun = await app.WaitForExitAsync("migrations");
        Assert.Equal(ExitCodes.Success, rerun.ExitCode);
        Assert.Equal(Migrations.Ids, await Database.AppliedMigrationsAsync(app));
        Assert.Equal(todosBefore, await CountTodosAsync(app));
    }

    private static async Task<long> CountTodosAsync(DistributedApplication app)
    {
        await using var connection = await Database.OpenAsync(app);
        return (await Database.QueryAsync<long>(connection, """SELECT count(*) FROM "Todos" """)).Single();
    }
}
