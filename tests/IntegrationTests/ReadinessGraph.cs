namespace IntegrationTests;

/// <summary>
/// The graph of the readiness tests: the web app as Production, and a second copy of it (<see cref="LateWebApp"/>) that
/// starts only when a test starts it — a replica that comes up while a migration is in progress. Nothing probes the copy
/// but the test that starts it, so the history reads the server sees come from the web app a test probes.
/// </summary>
public sealed class ReadinessGraph : StartedGraph
{
    /// <summary>The copy that starts late.</summary>
    public const string LateWebApp = "webapp-late";

    protected override async Task<IDistributedApplicationTestingBuilder> CreateBuilderAsync()
    {
        var builder = await base.CreateBuilderAsync();
        builder.WebApp().InProduction().WithoutRateLimits().WithReadinessInterval();

        // Its own role, as the real web app (connection name appdb, login appdb-web), never the admin's.
        var appdbWeb = builder.Resources.OfType<IResourceWithConnectionString>().Single(r => r.Name == "appdb-web");
        builder.AddProject<Projects.WebApp>(LateWebApp)
            .WithReference(builder.CreateResourceBuilder(appdbWeb), connectionName: "appdb")
            .WaitForCompletion(builder.CreateResourceBuilder<ProjectResource>("migrations"))
            .WithExplicitStart()
            .InProduction()
            .WithReadinessInterval();
        return builder;
    }
}
