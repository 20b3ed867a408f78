using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;

namespace WebApp;

/// <summary>
/// Answers an unhandled exception outside Development. The status is already chosen (500, or 503 for a database
/// outage: <see cref="DatabaseOutage"/>). A 503 gets <c>Retry-After</c>; an API request gets problem details and nothing
/// about the exception; a page request goes on to the friendly error page (<c>/Error</c>).
/// </summary>
public sealed class ApiExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    /// <summary>Requests under this path are API calls.</summary>
    public const string ApiPath = "/api";

    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var unavailable = httpContext.Response.StatusCode == StatusCodes.Status503ServiceUnavailable;
        if (unavailable)
        {
            httpContext.Response.Headers.RetryAfter = DatabaseOutage.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }

        // The original path: the middleware has already pointed Request.Path at the error page.
        var path = new PathString(httpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path);
        if (!path.StartsWithSegments(ApiPath))
        {
            return false;
        }

        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails =
            {
                Status = httpContext.Response.StatusCode,
                Detail = unavailable
                    ? $"The database is not answering. Try again in {DatabaseOutage.RetryAfterSeconds} seconds."
                    : null,
            },
        });
    }
}
