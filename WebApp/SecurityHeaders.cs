namespace WebApp;

/// <summary>
/// Headers every response carries — pages, API, static files, problem details, error pages, 429s — so a browser never
/// sniffs types, frames the app, runs script, or leaks the URL to other sites.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Only this origin's style sheets and images, no script at all (the pages have none, inline or not), forms that
    /// post only here, and no framing.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>Sent outside Development on HTTPS requests (behind the cloud's proxy: see <see cref="TrustedProxy"/>).</summary>
    public const string StrictTransportSecurity = "max-age=31536000";

    /// <summary>
    /// Adds the headers just before each response starts. A callback rather than headers set up front, because the
    /// exception handler clears headers before it writes an error; that is also why HSTS is written here and not by
    /// <c>UseHsts</c>, whose header an API error would lose.
    /// </summary>
    public static IApplicationBuilder UseSecurityHeaders(this WebApplication app)
    {
        var sendHsts = !app.Environment.IsDevelopment();
        return app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                if (sendHsts && context.Request.IsHttps)
                {
                    headers.StrictTransportSecurity = StrictTransportSecurity;
                }

                return Task.CompletedTask;
            });
            return next(context);
        });
    }
}
