namespace IntegrationTests;

/// <summary>
/// A graph whose database tests stop, start, freeze and thaw: the web app as Production, plus the same web app as
/// Development under another name (<see cref="DevelopmentWebApp"/>, with a command timeout of minutes), to see what each
/// shows while the database is gone or a check hangs. The server keeps
/// its data across a restart (<see cref="PostgresStopStart.KeepDataAcrossRestarts"/>).
/// </summary>
public sealed class OutageGraph : StartedGraph
{
    /// <summary>The Development copy of the web app.</summary>
    public const string DevelopmentWebApp = "webapp-development";

    private string? _volume;

    protected override async Task<IDistributedApplicationTestingBuilder> CreateBuilderAsync()
    {
        var builder = await base.CreateBuilderAsync();
        _volume = PostgresStopStart.KeepDataAcrossRestarts(builder);
        builder.WebApp().InProduction().WithoutRateLimits().WithReadinessInterval();

        // Its own role, as the real web app (connection name appdb, login appdb-web), never the admin's.
        var appdbWeb = builder.Resources.OfType<IResourceWithConnectionString>().Single(r => r.Name == "appdb-web");
        builder.AddProject<Projects.WebApp>(DevelopmentWebApp)
            .WithReference(builder.CreateResourceBuilder(appdbWeb), connectionName: "appdb")
            .WaitForCompletion(builder.CreateResourceBuilder<ProjectResource>("migrations"))
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", "Development")
            .WithReadinessInterval()
            // A statement may wait for minutes here, so that only the health checks' own timeout bounds /health.
            .WithEnvironment("Database__CommandTimeout", "00:10:00")
            .WithHttpHealthCheck("/health");
        return builder;
    }

    protected override async ValueTask StopAsync(DistributedApplication app)
    {
        if (_volume is null)
        {
            await base.StopAsync(app);
            return;
        }

        var runtime = await PostgresStopStart.ContainerRuntimeCommandAsync(app);
        await base.StopAsync(app);
        await PostgresStopStart.RemoveVolumeAsync(runtime, _volume);
    }
}
