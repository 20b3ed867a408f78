using Microsoft.AspNetCore.HttpOverrides;

namespace WebApp;

/// <summary>
/// Which proxy may tell the app the client's address and scheme (<c>X-Forwarded-For</c>, <c>X-Forwarded-Proto</c>).
/// Only a hop whose address lies in <c>ForwardedHeaders:KnownNetworks</c> (comma-separated CIDR ranges; unset: loopback
/// only, ASP.NET Core's default) is believed, and only the last <c>X-Forwarded-For</c> entry — the one that proxy
/// appended itself — is used, so a client cannot choose its own address by sending the header.
/// </summary>
/// <remarks>
/// Azure Container Apps' ingress appends the caller's address to <c>X-Forwarded-For</c> and overwrites
/// <c>X-Forwarded-Proto</c>, and the app's port is reachable only through it, from the environment's private network;
/// the AppHost (<c>TrustedProxies.cs</c>) therefore trusts the private ranges. <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c>
/// would instead trust every sender: do not set it.
/// </remarks>
public static class TrustedProxy
{
    /// <summary>The setting that names the proxies' networks.</summary>
    public const string KnownNetworksKey = "ForwardedHeaders:KnownNetworks";

    /// <summary>Configures the forwarded-headers middleware from <see cref="KnownNetworksKey"/>.</summary>
    public static WebApplicationBuilder AddTrustedProxy(this WebApplicationBuilder builder)
    {
        var networks = ParseNetworks(builder.Configuration[KnownNetworksKey]);
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.ForwardLimit = 1;
            if (networks.Count > 0)
            {
                options.KnownProxies.Clear();
                options.KnownIPNetworks.Clear();
                networks.ForEach(options.KnownIPNetworks.Add);
            }
        });
        return builder;
    }

    private static List<System.Net.IPNetwork> ParseNetworks(string? value) =>
        (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(cidr => System.Net.IPNetwork.TryParse(cidr, out var network)
                ? network
                : throw new InvalidOperationException($"{KnownNetworksKey}: '{cidr}' is not a network such as 10.0.0.0/8."))
            .ToList();
}
