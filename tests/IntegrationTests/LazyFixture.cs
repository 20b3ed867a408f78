namespace IntegrationTests;

/// <summary>
/// A fixture that starts what it shares on first use, inside a test, so that a start that cannot happen fails (or skips,
/// saying why) that test rather than breaking the fixture; started once, disposed with the fixture.
/// </summary>
public abstract class LazyFixture<T> : IAsyncDisposable
    where T : class
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private T? _value;

    /// <summary>The started thing, started now if this is the first call.</summary>
    public async Task<T> GetAsync()
    {
        await _gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            return _value ??= await StartAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Starts the shared thing.</summary>
    protected abstract Task<T> StartAsync();

    /// <summary>Stops the shared thing, when it was started.</summary>
    protected abstract ValueTask StopAsync(T value);

    public async ValueTask DisposeAsync()
    {
        if (_value is not null)
        {
            await StopAsync(_value);
        }

        _gate.Dispose();
        GC.SuppressFinalize(this);
    }
}
