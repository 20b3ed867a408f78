namespace IntegrationTests;

/// <summary>
/// The graph with the dashboard on, for the tests of the migration commands: they roll back and reset its database, so it
/// is shared with no other collection. The classes of <see cref="MigrationConsoleCollection"/> run one after another.
/// </summary>
public sealed class MigrationConsoleGraph : StartedGraph
{
    protected override async Task<IDistributedApplicationTestingBuilder> CreateBuilderAsync()
    {
        var builder = await TestGraph.CreateBuilderAsync(new DistributedApplicationTestingBuilderOptions { EnableDashboard = true });
        builder.WebApp().WithReadinessInterval();
        return builder;
    }
}

/// <summary>The test classes that share one <see cref="MigrationConsoleGraph"/>.</summary>
[CollectionDefinition(Name)]
public sealed class MigrationConsoleCollection : ICollectionFixture<MigrationConsoleGraph>
{
    public const string Name = "Migration console graph";
}
