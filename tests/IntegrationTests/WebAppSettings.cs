namespace IntegrationTests;

/// <summary>How a test graph runs the web app: its environment and its rate limits.</summary>
public static class WebAppSettings
{
    /// <summary>The graph's <c>webapp</c> resource.</summary>
    public static IResourceBuilder<ProjectResource> WebApp(this IDistributedApplicationTestingBuilder builder) =>
        builder.CreateResourceBuilder<ProjectResource>("webapp");

    /// <summary>Runs it as <c>Production</c>, as the cloud does: no error or health detail may show.</summary>
    public static IResourceBuilder<ProjectResource> InProduction(this IResourceBuilder<ProjectResource> webapp) =>
        webapp.WithEnvironment("ASPNETCORE_ENVIRONMENT", "Production");

    /// <summary>
    /// Allows <paramref name="reads"/> and <paramref name="writes"/> per client address per <paramref name="window"/>
    /// (the <c>RateLimiting</c> settings).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithRateLimits(this IResourceBuilder<ProjectResource> webapp,
        int reads, int writes, TimeSpan window) =>
        webapp.WithEnvironment("RateLimiting__Reads__PermitLimit", reads.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("RateLimiting__Reads__Window", window.ToString("c"))
            .WithEnvironment("RateLimiting__Writes__PermitLimit", writes.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("RateLimiting__Writes__Window", window.ToString("c"));

    /// <summary>
    /// Limits so high that no test meets them: suites that send hundreds of requests from one address (the validation
    /// matrix) test what they name, not the limiter, which <see cref="RateLimitTests"/> tests.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithoutRateLimits(this IResourceBuilder<ProjectResource> webapp) =>
        webapp.WithRateLimits(reads: 1_000_000, writes: 1_000_000, TimeSpan.FromSeconds(1));

    /// <summary>
    /// The readiness interval (<c>HealthChecks:ReadinessInterval</c>) the graphs of the readiness and outage tests set:
    /// how long a readiness answer may be reused, so how long a test waits for a change to show, and what bounds the
    /// history reads it counts.
    /// </summary>
    public static readonly TimeSpan ReadinessInterval = TimeSpan.FromSeconds(2);

    /// <summary>Sets <see cref="ReadinessInterval"/> explicitly, so the tests do not depend on the web app's default.</summary>
    public static IResourceBuilder<ProjectResource> WithReadinessInterval(this IResourceBuilder<ProjectResource> webapp) =>
        webapp.WithEnvironment("HealthChecks__ReadinessInterval", ReadinessInterval.ToString("c"));

    /// <summary>
    /// Waits until no readiness answer read before now can be reused: the next probe after this reads the history again
    /// (an answer serves probes for <see cref="ReadinessInterval"/> after its read ended; the second more covers a read
    /// in flight).
    /// </summary>
    public static Task WaitOutReadinessAnswerAsync() =>
        Task.Delay(ReadinessInterval + TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);

    /// <summary>
    /// A client with no retries (unlike <c>CreateHttpClient</c>'s resilience handler, which would hide a 429 or a 503),
    /// no cookie jar (so <c>Set-Cookie</c> stays readable) and no redirects followed.
    /// </summary>
    public static HttpClient CreatePlainClient(this DistributedApplication app, string resourceName = "webapp", TimeSpan? timeout = null) =>
        new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
        {
            BaseAddress = app.GetEndpoint(resourceName, "http"),
            Timeout = timeout ?? TestDeadline.Timeout,
        };
}
