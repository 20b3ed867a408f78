namespace OutsidePins;

/// <summary>The sample's graph, started from a project whose package versions are not the repository's.</summary>
public sealed class GraphTests
{
    [Fact]
    public async Task The_graph_starts_and_the_web_app_turns_healthy()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            ["--Postgres:Persistent=false"], TestContext.Current.CancellationToken);
        await using var app = await builder.BuildAsync(TestContext.Current.CancellationToken);
        using var deadline = TestDeadline.Start();

        await app.StartAsync(deadline.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("webapp", deadline.Token);

        Assert.True(app.ResourceNotifications.TryGetCurrentState("migrations", out var migrations));
        Assert.Equal(0, migrations.Snapshot.ExitCode);
        using var http = app.CreateHttpClient("webapp");
        using var health = await http.GetAsync("/health", deadline.Token);
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
    }
}
