using System.Net;
using System.Text;

namespace IntegrationTests;

/// <summary>
/// Every kind of response of the Production web app carries the security headers — pages, static files, API answers,
/// problem details of each 4xx, health — and never a <c>Server</c> header; HSTS and <c>Secure</c> cookies follow the
/// scheme the trusted proxy reports. (429, 500 and 503: <see cref="RateLimitTests"/>, <see cref="DatabaseOutageTests"/>.)
/// </summary>
[Collection(ProductionGraphCollection.Name)]
public sealed class SecurityHeadersTests(ProductionGraph graph)
{
    /// <summary>Requests of each response kind: method, path, JSON body (null: none), status expected.</summary>
    public static TheoryData<string, string, string?, HttpStatusCode> ResponseKinds => new()
    {
        { "GET", "/", null, HttpStatusCode.OK },
        { "GET", "/schema", null, HttpStatusCode.OK },
        { "GET", "/site.css", null, HttpStatusCode.OK },
        { "GET", "/api/todos", null, HttpStatusCode.OK },
        { "GET", "/api/todos?limit=0", null, HttpStatusCode.BadRequest },
        { "POST", "/api/todos", "{}", HttpStatusCode.BadRequest },
        { "POST", "/api/todos", $$"""{"title": "{{new string('x', 9000)}}"}""", HttpStatusCode.RequestEntityTooLarge },
        { "GET", "/api/todos/2147483647", null, HttpStatusCode.NotFound },
        { "GET", "/no-such-page", null, HttpStatusCode.NotFound },
        { "GET", "/Error", null, HttpStatusCode.NotFound },
        { "POST", "/", "", HttpStatusCode.BadRequest },
        { "GET", "/health", null, HttpStatusCode.OK },
        { "GET", "/alive", null, HttpStatusCode.OK },
    };

    [Theory]
    [MemberData(nameof(ResponseKinds))]
    public async Task Every_response_carries_the_security_headers_and_no_server_header(
        string method, string path, string? body, HttpStatusCode status)
    {
        var app = await graph.GetAsync();
        using var http = app.CreatePlainClient();

        using var response = await http.SendAsync(Request(method, path, body), TestContext.Current.CancellationToken);

        Assert.Equal(status, response.StatusCode);
        SecurityHeadersAssert.Present(response);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/site.css")]
    [InlineData("/api/todos")]
    [InlineData("/api/todos/2147483647")]
    [InlineData("/no-such-page")]
    public async Task Over_https_through_the_proxy_every_response_carries_HSTS(string path)
    {
        var app = await graph.GetAsync();
        using var http = app.CreatePlainClient();

        using var response = await http.SendAsync(ThroughTheProxy(Request("GET", path)), TestContext.Current.CancellationToken);

        SecurityHeadersAssert.Present(response, hsts: true);
    }

    [Fact]
    public async Task The_antiforgery_cookie_is_secure_over_https_and_always_http_only_and_same_site_strict()
    {
        var app = await graph.GetAsync();
        using var http = app.CreatePlainClient();

        using var overHttps = await http.SendAsync(ThroughTheProxy(Request("GET", "/")), TestContext.Current.CancellationToken);
        using var overHttp = await http.SendAsync(Request("GET", "/"), TestContext.Current.CancellationToken);

        Assert.Equal(["httponly", "path=/", "samesite=strict", "secure"], CookieAttributes(overHttps));
        // Plain HTTP (local development) keeps working: a Secure cookie would never come back.
        Assert.Equal(["httponly", "path=/", "samesite=strict"], CookieAttributes(overHttp));
    }

    /// <summary>What Azure Container Apps' ingress adds: the scheme the client used and its address; a real host name.</summary>
    private static HttpRequestMessage ThroughTheProxy(HttpRequestMessage request)
    {
        request.Headers.Host = "todo.example";
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.10");
        return request;
    }

    private static HttpRequestMessage Request(string method, string path, string? body = null) =>
        new(new HttpMethod(method), path)
        {
            Content = body is null
                ? null
                : new StringContent(body, Encoding.UTF8, path == "/" ? "application/x-www-form-urlencoded" : "application/json"),
        };

    /// <summary>The attributes of the one cookie set (the antiforgery cookie), lower case, sorted, without its value.</summary>
    private static string[] CookieAttributes(HttpResponseMessage response)
    {
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(".AspNetCore.Antiforgery.", cookie);
        return [.. cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).Order()];
    }
}
