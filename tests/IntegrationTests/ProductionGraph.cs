namespace IntegrationTests;

/// <summary>
/// The graph with the web app run as <c>Production</c>: what the cloud runs, where no error or health detail may show.
/// Shared by the classes of <see cref="ProductionGraphCollection"/>, which run one after another, so a test that
/// compares the to-do table before and after a request sees only its own writes. Rates are not limited here (the
/// validation matrix alone sends hundreds of requests): <see cref="RateLimitTests"/> has a graph of its own.
/// </summary>
public sealed class ProductionGraph : StartedGraph
{
    protected override async Task<IDistributedApplicationTestingBuilder> CreateBuilderAsync()
    {
        var builder = await base.CreateBuilderAsync();
        builder.WebApp().InProduction().WithoutRateLimits();
        return builder;
    }
}

/// <summary>The test classes that share one <see cref="ProductionGraph"/>.</summary>
[CollectionDefinition(Name)]
public sealed class ProductionGraphCollection : ICollectionFixture<ProductionGraph>
{
    public const string Name = "Production graph";
}
