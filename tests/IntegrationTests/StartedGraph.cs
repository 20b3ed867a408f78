namespace IntegrationTests;

/// <summary>
/// One started graph shared by the tests of a class (or, through a subclass such as ProductionGraph, of a collection).
/// Started on first use, inside a test, so that a missing container engine skips (or, under CI, fails) each test with
/// the reason rather than breaking the fixture.
/// </summary>
public class StartedGraph : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DistributedApplication? _app;

    public async Task<DistributedApplication> GetAsync()
    {
        await _gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (_app is null)
            {
                var app = await TestGraph.StartAsync(await CreateBuilderAsync());
                await app.WaitForHealthyAsync("webapp");
                _app = app;
            }

            return _app;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The graph to start: the AppHost's, as it is. Override to change it.</summary>
    protected virtual Task<IDistributedApplicationTestingBuilder> CreateBuilderAsync() => TestGraph.CreateBuilderAsync();

    public virtual async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _gate.Dispose();
    }
}
