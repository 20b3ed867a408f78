namespace IntegrationTests;

/// <summary>
/// The graph with the web app run as <c>Production</c>: what the cloud runs, where no error or health detail may show.
/// Shared by the classes of <see cref="ProductionGraphCollection"/>, which run one after another, so a test that
/// compares the to-do table before and after a request sees only its own writes.
/// </summary>
public sealed class ProductionGraph : StartedGraph
{
    protected override async Task<IDistributedApplicationTestingBuilder> CreateBuilderAsync()
    {
        var builder = await base.CreateBuilderAsync();
        builder.CreateResourceBuilder<ProjectResource>("webapp").WithEnvironment("ASPNETCORE_ENVIRONMENT", "Production");
        return builder;
    }
}

/// <summary>The test classes that share one <see cref="ProductionGraph"/>.</summary>
[CollectionDefinition(Name)]
public sealed class ProductionGraphCollection : ICollectionFixture<ProductionGraph>
{
    public const string Name = "Production graph";
}
