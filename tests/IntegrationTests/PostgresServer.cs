using Npgsql;

[assembly: AssemblyFixture(typeof(IntegrationTests.PostgresServer))]

namespace IntegrationTests;

/// <summary>
/// The AppHost's PostgreSQL server alone (the worker and web app removed from the graph), shared by the tests that run
/// the worker standalone. Each such test takes a database of its own, so they stay independent.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DistributedApplication? _app;
    private string? _appdbConnectionString;

    /// <summary>A connection string to a database that does not exist yet; the worker creates it.</summary>
    public async Task<string> NewDatabaseAsync()
    {
        var builder = new NpgsqlConnectionStringBuilder(await AppdbConnectionStringAsync())
        {
            Database = $"worker_{Guid.NewGuid():N}",
        };
        return builder.ConnectionString;
    }

    private async Task<string> AppdbConnectionStringAsync()
    {
        await _gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (_app is null)
            {
                var builder = await TestGraph.CreateBuilderAsync();
                foreach (var service in builder.Resources.Where(r => r.Name is "migrations" or "webapp").ToList())
                {
                    builder.Resources.Remove(service);
                }

                var app = await TestGraph.StartAsync(builder);
                await app.WaitForHealthyAsync("appdb");
                _appdbConnectionString = await app.GetConnectionStringAsync("appdb", TestContext.Current.CancellationToken);
                _app = app;
            }

            return _appdbConnectionString!;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _gate.Dispose();
    }
}
