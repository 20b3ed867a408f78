namespace Tests;

/// <summary>
/// One started graph, its API healthy, shared by the tests of <see cref="StartedGraphCollection"/>: they run one after
/// another, and each leaves both databases at their latest migration.
/// </summary>
public sealed class StartedGraph : IAsyncLifetime
{
    /// <summary>The started graph.</summary>
    public DistributedApplication App { get; private set; } = null!;

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        App = await Graph.StartAsync(await Graph.CreateBuilderAsync());
        using var deadline = Deadline.Start();
        await App.ResourceNotifications.WaitForResourceHealthyAsync("api", deadline.Token);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => App?.DisposeAsync() ?? ValueTask.CompletedTask;
}

/// <summary>The tests that share one <see cref="StartedGraph"/>.</summary>
[CollectionDefinition(Name)]
public sealed class StartedGraphCollection : ICollectionFixture<StartedGraph>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "started graph";
}
