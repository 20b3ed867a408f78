using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationTests;

/// <summary>Starts the AppHost's real graph for a test, with throwaway containers and a deadline on every wait.</summary>
public static class TestGraph
{
    /// <summary>Long enough for a cold start on a slow, shared machine; short enough that a hang fails the run.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    /// <summary>
    /// The AppHost's builder, configured for tests: no data volume or kept data directory, no server outliving the test.
    /// The mode is the AppHost's own choice (<c>Postgres:Mode</c>, Auto by default), so the suite runs in either.
    /// </summary>
    public static async Task<IDistributedApplicationTestingBuilder> CreateBuilderAsync(params string[] args)
    {
        PostgresBackend.Require();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            ["--Postgres:Persistent=false", .. args], TestContext.Current.CancellationToken);
        builder.Services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        return builder;
    }

    /// <summary>Builds and starts the graph. Starting returns once resources are launched, not once they are ready.</summary>
    public static async Task<DistributedApplication> StartAsync(IDistributedApplicationTestingBuilder builder)
    {
        var app = await builder.BuildAsync(TestContext.Current.CancellationToken);
        using var deadline = Deadline();
        await app.StartAsync(deadline.Token);
        return app;
    }

    /// <summary>A cancellation source that fires after <see cref="Timeout"/> or when the test is cancelled.</summary>
    public static CancellationTokenSource Deadline()
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        source.CancelAfter(Timeout);
        return source;
    }

    /// <summary>Waits until <paramref name="resourceName"/> has exited, and returns its last snapshot.</summary>
    public static async Task<CustomResourceSnapshot> WaitForExitAsync(this DistributedApplication app, string resourceName)
    {
        using var deadline = Deadline();
        var resourceEvent = await app.ResourceNotifications.WaitForResourceAsync(resourceName,
            e => e.Snapshot.ExitCode is not null && KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text),
            deadline.Token);
        return resourceEvent.Snapshot;
    }

    /// <summary>Waits until <paramref name="resourceName"/> reaches <paramref name="state"/>.</summary>
    public static async Task WaitForStateAsync(this DistributedApplication app, string resourceName, string state)
    {
        using var deadline = Deadline();
        await app.ResourceNotifications.WaitForResourceAsync(resourceName, state, deadline.Token);
    }

    /// <summary>Waits until <paramref name="resourceName"/> is healthy.</summary>
    public static async Task WaitForHealthyAsync(this DistributedApplication app, string resourceName)
    {
        using var deadline = Deadline();
        await app.ResourceNotifications.WaitForResourceHealthyAsync(resourceName, deadline.Token);
    }

    /// <summary>Everything <paramref name="resourceName"/> has written so far (console and structured logs).</summary>
    public static async Task<string> GetLogsAsync(this DistributedApplication app, string resourceName)
    {
        var lines = new List<string>();
        var logs = app.Services.GetRequiredService<ResourceLoggerService>();
        var resource = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == resourceName);
        await foreach (var batch in logs.GetAllAsync(resource).WithCancellation(TestContext.Current.CancellationToken))
        {
            lines.AddRange(batch.Select(line => line.Content));
        }

        return string.Join('\n', lines);
    }
}
