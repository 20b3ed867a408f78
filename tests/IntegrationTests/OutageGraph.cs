namespace IntegrationTests;

/// <summary>
/// A graph whose database tests stop and start: the web app as Production, plus the same web app as Development under
/// another name (<see cref="DevelopmentWebApp"/>), to see what each shows while the database is gone. The server keeps
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
        builder.WebApp().InProduction().WithoutRateLimits();

        var appdb = builder.Resources.OfType<IResourceWithConnectionString>().Single(r => r.Name == "appdb");
        builder.AddProject<Projects.WebApp>(DevelopmentWebApp)
            .WithReference(builder.CreateResourceBuilder(appdb))
            .WaitForCompletion(builder.CreateResourceBuilder<ProjectResource>("migrations"))
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", "Development")
            .WithHttpHealthCheck("/health");
        return builder;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_volume is not null)
        {
            PostgresStopStart.RemoveVolume(_volume);
        }
    }
}
