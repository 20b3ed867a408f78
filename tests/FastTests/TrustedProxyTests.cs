using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using WebApp;

namespace FastTests;

/// <summary>
/// Which hop may set the client's address and scheme: the web app's forwarded-headers setup on a real Kestrel (on
/// loopback, in this process), asked through a request that carries both headers.
/// </summary>
public sealed class TrustedProxyTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("127.0.0.0/8")]
    [InlineData("10.0.0.0/8, 127.0.0.1/32")]
    public async Task A_known_proxy_sets_the_address_it_appended_last_and_the_scheme(string? knownNetworks)
    {
        await using var app = await StartAsync(knownNetworks);

        var seen = await AskAsync(app, forwardedFor: "192.0.2.1, 203.0.113.7", forwardedProto: "https");

        // The last entry is the one the proxy appended; an earlier one is whatever the client sent.
        Assert.Equal("203.0.113.7 https", seen);
    }

    [Fact]
    public async Task Only_the_entry_the_proxy_appended_counts_even_when_it_lies_in_a_known_network()
    {
        // Another app in the proxy's own network calls through it, naming someone else first.
        await using var app = await StartAsync("127.0.0.0/8,10.0.0.0/8");

        var seen = await AskAsync(app, forwardedFor: "192.0.2.1, 10.1.1.1", forwardedProto: "https");

        Assert.Equal("10.1.1.1 https", seen);
    }

    [Theory]
    [InlineData("10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10")]
    [InlineData("192.0.2.0/24")]
    public async Task Anyone_outside_the_known_networks_cannot_set_address_or_scheme(string knownNetworks)
    {
        await using var app = await StartAsync(knownNetworks);

        var seen = await AskAsync(app, forwardedFor: "203.0.113.7", forwardedProto: "https");

        Assert.Equal("127.0.0.1 http", seen);
    }

    [Fact]
    public void A_malformed_network_stops_the_app_at_startup_naming_the_setting()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration[TrustedProxy.KnownNetworksKey] = "10.0.0.0/8, 10.0.0.0/33";

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddTrustedProxy());

        Assert.Equal("ForwardedHeaders:KnownNetworks: '10.0.0.0/33' is not a network such as 10.0.0.0/8.", error.Message);
    }

    /// <summary>An app that answers with the client address and scheme it believes.</summary>
    private static async Task<WebApplication> StartAsync(string? knownNetworks)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration[TrustedProxy.KnownNetworksKey] = knownNetworks;
        builder.AddTrustedProxy();
        var app = builder.Build();
        app.UseForwardedHeaders();
        app.MapGet("/", (HttpContext context) => $"{context.Connection.RemoteIpAddress} {context.Request.Scheme}");
        await app.StartAsync(TestContext.Current.CancellationToken);
        return app;
    }

    private static async Task<string> AskAsync(WebApplication app, string forwardedFor, string forwardedProto)
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }
}
