using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace WebApp.Pages;

/// <summary>
/// The friendly page a browser gets when a page fails outside Development: the exception handler re-runs the request
/// here (keeping its method and its 500 or 503 status). It shows nothing of the exception.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    /// <summary>True when the database is the cause (503): the page says to try again shortly.</summary>
    public bool Unavailable => Response.StatusCode == StatusCodes.Status503ServiceUnavailable;

    /// <summary>Shows the page, for a failed GET.</summary>
    public IActionResult OnGet() => Show();

    /// <summary>Shows the page, for a failed form post.</summary>
    public IActionResult OnPost() => Show();

    // Only as the exception handler's target: asked for directly, there is no error to show.
    private IActionResult Show() => HttpContext.Features.Get<IExceptionHandlerFeature>() is null ? NotFound() : Page();
}
