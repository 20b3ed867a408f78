namespace IntegrationTests;

/// <summary>The headers every response of the web app must carry, checked value by value.</summary>
public static class SecurityHeadersAssert
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public const string StrictTransportSecurity = "max-age=31536000";

    /// <summary>
    /// CSP, nosniff, no framing, no referrer, no <c>Server</c>; HSTS exactly when <paramref name="hsts"/> (Production
    /// over HTTPS).
    /// </summary>
    public static void Present(HttpResponseMessage response, bool hsts = false, string? @case = null)
    {
        var because = $"{@case ?? response.RequestMessage?.RequestUri?.PathAndQuery} ({(int)response.StatusCode})";
        Assert.True(ContentSecurityPolicy == Single(response, "Content-Security-Policy"), $"{because}: Content-Security-Policy");
        Assert.True("nosniff" == Single(response, "X-Content-Type-Options"), $"{because}: X-Content-Type-Options");
        Assert.True("DENY" == Single(response, "X-Frame-Options"), $"{because}: X-Frame-Options");
        Assert.True("no-referrer" == Single(response, "Referrer-Policy"), $"{because}: Referrer-Policy");
        Assert.True(!response.Headers.Contains("Server"), $"{because}: a Server header was sent");
        Assert.True((hsts ? StrictTransportSecurity : null) == Single(response, "Strict-Transport-Security"),
            $"{because}: Strict-Transport-Security");
    }

    private static string? Single(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(" | ", values)
            : null;
}
