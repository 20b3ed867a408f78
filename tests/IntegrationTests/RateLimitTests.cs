using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace IntegrationTests;

/// <summary>
/// The rate limits on a Production web app configured low (<see cref="LowRateLimitGraph"/>): a burst past the limit
/// gets 429 problem details with <c>Retry-After</c>; writes have their own, stricter budget; each client address (the
/// one the trusted proxy forwards) has its own; the health endpoints are never limited. Each test speaks for its own
/// client address, so the tests do not share a budget.
/// </summary>
public sealed class RateLimitTests(LowRateLimitGraph graph) : IClassFixture<LowRateLimitGraph>
{
    [Fact]
    public async Task A_burst_of_reads_past_the_limit_gets_429_problem_details_with_Retry_After()
    {
        var app = await graph.GetAsync();
        using var http = app.CreatePlainClient();

        for (var i = 0; i < LowRateLimitGraph.Reads; i++)
        {
            using var allowed = await SendAsync(http, HttpMethod.Get, "/api/todos", client: "198.51.100.1");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var refused = await SendAsync(http, HttpMethod.Get, "/api/todos", client: "198.51.100.1");
        using var refusedPage = await SendAsync(http, HttpMethod.Get, "/", client: "198.51.100.1");

        await AssertTooManyRequestsAsync(refused);
        Assert.Equal(HttpStatusCode.TooManyRequests, refusedPage.StatusCode);
    }

    [Fact]
    public async Task Writes_have_their_own_stricter_limit_and_do_not_use_up_the_reads()
    {
        var app = await graph.GetAsync();
        using var http = app.CreatePlainClient();
        var before = await Database.TodoRowsAsync(app);

        for (var i = 0; i < LowRateLimitGraph.Writes; i++)
        {
            using var allowed = await SendAsync(http, HttpMethod.Post, "/api/todos", client: "198.51.100.2", title: $"Write {i}");
            Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
        }

        using var refused = await SendAsync(http, HttpMethod.Post, "/api/todos", client: "198.51.100.2", title: "One too many");
        using var read = await SendAsync(http, HttpMethod.Get, "/api/todos", client: "198.51.100.2");

        await AssertTooManyRequestsAsync(refused);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        // The refused write wrote nothing.
        Assert.Equal(before.Count + LowRateLimitGraph.Writes, (await Database.TodoRowsAsync(app)).Count);
    }

    [Fact]
    public async Task Each_client_address_has_its_own_budget()
    {
        var app = await graph.GetAsync();
        using var http = app.CreatePlainClient();
        for (var i = 0; i < LowRateLimitGraph.Reads; i++)
        {
            using var allowed = await SendAsync(http, HttpMethod.Get, "/api/todos", client: "198.51.100.3");
        }

        using var refused = await SendAsync(http, HttpMethod.Get, "/api/todos", client: "198.51.100.3");
        // A client cannot pick another address by prepending its own: the proxy's entry, the last one, is what counts.
        using var spoofed = await SendAsync(http, HttpMethod.Get, "/api/todos", client: "192.0.2.99, 198.51.100.3");
        using var someoneElse = await SendAsync(http, HttpMethod.Get, "/api/todos", client: "198.51.100.4");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, spoofed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, someoneElse.StatusCode);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    public async Task Health_endpoints_are_never_limited(string path)
    {
        var app = await graph.GetAsync();
        using var http = app.CreatePlainClient();
        var client = path == "/health" ? "198.51.100.5" : "198.51.100.6";
        for (var i = 0; i <= LowRateLimitGraph.Reads; i++)
        {
            using var spent = await SendAsync(http, HttpMethod.Get, "/api/todos", client);
        }

        using (var refused = await SendAsync(http, HttpMethod.Get, "/api/todos", client))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        }

        for (var i = 0; i < 5 * LowRateLimitGraph.Reads; i++)
        {
            using var probe = await SendAsync(http, HttpMethod.Get, path, client);
            Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
        }
    }

    private static async Task AssertTooManyRequestsAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(HttpStatusCode.TooManyRequests == response.StatusCode, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(429, problem.RootElement.GetProperty("status").GetInt32());
        // Whole seconds until the window opens again: at most the window, at least one.
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), LowRateLimitGraph.Window);
        Assert.Equal($"Too many requests from your address. Try again in {retryAfter.Value.TotalSeconds:0} seconds.",
            problem.RootElement.GetProperty("detail").GetString());
        SecurityHeadersAssert.Present(response);
    }

    /// <summary>A request as the proxy forwards it for <paramref name="client"/>; a write posts a valid to-do.</summary>
    private static Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string client, string? title = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Forwarded-For", client);
        if (title is not null)
        {
            request.Content = JsonContent.Create(new { title });
        }

        return http.SendAsync(request, TestContext.Current.CancellationToken);
    }
}

/// <summary>A Production graph whose web app allows few requests per client address, in a window long enough for a test.</summary>
public sealed class LowRateLimitGraph : StartedGraph
{
    public const int Reads = 6;
    public const int Writes = 3;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    protected override async Task<IDistributedApplicationTestingBuilder> CreateBuilderAsync()
    {
        var builder = await base.CreateBuilderAsync();
        builder.WebApp().InProduction().WithRateLimits(Reads, Writes, Window);
        return builder;
    }
}
