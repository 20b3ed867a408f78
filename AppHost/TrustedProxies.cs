/// <summary>Where the web app's proxy is, in the cloud: only a hop from there may set the client's address and scheme.</summary>
internal static class TrustedProxies
{
    /// <summary>
    /// The private ranges (comma-separated CIDR, the web app's <c>ForwardedHeaders:KnownNetworks</c>): the Container Apps
    /// ingress reaches the app from the environment's private network, which they cover. Narrow them to the environment's
    /// subnet if it has one. Rather than <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c>, which believes any sender.
    /// </summary>
    public const string Networks = "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10";
}
