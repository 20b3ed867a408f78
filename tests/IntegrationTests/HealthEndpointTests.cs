using System.Net;

namespace IntegrationTests;

/// <summary>The probes' endpoints outside Development: they answer, and say nothing but the status.</summary>
[Collection(ProductionGraphCollection.Name)]
public sealed class HealthEndpointTests(ProductionGraph graph)
{
    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    public async Task In_production_a_health_endpoint_answers_only_its_status(string path)
    {
        var app = await graph.GetAsync();
        using var http = app.CreateHttpClient("webapp");

        using var response = await http.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
