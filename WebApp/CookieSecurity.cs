using Microsoft.AspNetCore.CookiePolicy;

namespace WebApp;

/// <summary>
/// Every cookie the app sets (today the antiforgery cookie) is <c>HttpOnly</c> and <c>SameSite=Strict</c>, and
/// <c>Secure</c> whenever the request came over HTTPS — which, behind the cloud's TLS proxy, the app knows from the
/// proxy's <c>X-Forwarded-Proto</c> (see <see cref="TrustedProxy"/>). Plain-HTTP development keeps working.
/// </summary>
public static class CookieSecurity
{
    /// <summary>Sets the cookie policy; <c>UseCookiePolicy</c> applies it.</summary>
    public static WebApplicationBuilder AddCookieSecurity(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<CookiePolicyOptions>(options =>
        {
            options.Secure = CookieSecurePolicy.SameAsRequest;
            options.HttpOnly = HttpOnlyPolicy.Always;
            options.MinimumSameSitePolicy = SameSiteMode.Strict;
        });
        // Antiforgery's own default is never Secure; the policy above would upgrade it, this says so where it is set.
        builder.Services.AddAntiforgery(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        return builder;
    }
}
