namespace IntegrationTests;

/// <summary>
/// One started graph, its web app healthy, shared by the tests of a class (or, through a subclass such as
/// <see cref="ProductionGraph"/>, of a collection).
/// </summary>
public class StartedGraph : LazyFixture<DistributedApplication>
{
    protected override async Task<DistributedApplication> StartAsync()
    {
        var app = await TestGraph.StartAsync(await CreateBuilderAsync());
        await app.WaitForHealthyAsync("webapp");
        return app;
    }

    protected override ValueTask StopAsync(DistributedApplication app) => app.DisposeAsync();

    /// <summary>The graph to start: the AppHost's, as it is. Override to change it.</summary>
    protected virtual Task<IDistributedApplicationTestingBuilder> CreateBuilderAsync() => TestGraph.CreateBuilderAsync();
}
