using SafeMigrations.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationTests;

/// <summary>Starts the AppHost's real graph for a test, with throwaway servers and a deadline on every wait.</summary>
public static class TestGraph
{
    /// <summary>
    /// The AppHost's builder, configured for tests: no data volume or kept data directory, no server outliving the test.
    /// The mode is the AppHost's own choice (<c>Postgres:Mode</c>, Auto by default), so the suite runs in either. When
    /// that choice says nothing can serve here, the test is skipped with the reason (and so fails under CI).
    /// </summary>
    public static Task<IDistributedApplicationTestingBuilder> CreateBuilderAsync(params string[] args) =>
        CreateBuilderAsync(new DistributedApplicationTestingBuilderOptions(), args);

    /// <summary>As <see cref="CreateBuilderAsync(string[])"/>, with testing options (the dashboard, which tests leave out by default).</summary>
    public static async Task<IDistributedApplicationTestingBuilder> CreateBuilderAsync(DistributedApplicationTestingBuilderOptions options, params string[] args)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            options, ["--Postgres:Persistent=false", .. args], TestContext.Current.CancellationToken);
        if (builder.Resources.PostgresMode() is { NothingAvailable: true } decision)
        {
            await builder.DisposeAsync();
            Assert.Skip($"PostgreSQL cannot start here: {decision.Reason}.");
        }

        builder.Services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        return builder;
    }

    /// <summary>The AppHost's PostgreSQL decision, as it recorded it on <c>appdb</c>.</summary>
    internal static PostgresModeDecision PostgresMode(this IEnumerable<IResource> resources) =>
        resources.Single(r => r.Name == "appdb").Annotations.OfType<PostgresDatabaseAnnotation>().Single().Decision;

    /// <summary>Builds and starts the graph. Starting returns once resources are launched, not once they are ready.</summary>
    public static async Task<DistributedApplication> StartAsync(IDistributedApplicationTestingBuilder builder)
    {
        var app = await builder.BuildAsync(TestContext.Current.CancellationToken);
        using var deadline = TestDeadline.Start();
        await app.StartAsync(deadline.Token);
        return app;
    }

    /// <summary>Waits until <paramref name="resourceName"/> has exited, and returns its last snapshot.</summary>
    public static async Task<CustomResourceSnapshot> WaitForExitAsync(this DistributedApplication app, string resourceName)
    {
        using var deadline = TestDeadline.Start();
        var resourceEvent = await app.ResourceNotifications.WaitForResourceAsync(resourceName,
            e => e.Snapshot.ExitCode is not null && KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text),
            deadline.Token);
        return resourceEvent.Snapshot;
    }

    /// <summary>Waits until <paramref name="resourceName"/> reaches <paramref name="state"/>.</summary>
    public static async Task WaitForStateAsync(this DistributedApplication app, string resourceName, string state)
    {
        using var deadline = TestDeadline.Start();
        await app.ResourceNotifications.WaitForResourceAsync(resourceName, state, deadline.Token);
    }

    /// <summary>Waits until <paramref name="resourceName"/> is healthy.</summary>
    public static async Task WaitForHealthyAsync(this DistributedApplication app, string resourceName)
    {
        using var deadline = TestDeadline.Start();
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
