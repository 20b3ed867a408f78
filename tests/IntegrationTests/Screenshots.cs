using Microsoft.Playwright;

namespace IntegrationTests;

/// <summary>
/// Where the browser tests save their pictures: <c>SCREENSHOT_DIR</c> (the docs' come from here: <c>docs/screenshot.sh</c>),
/// else next to the test binaries.
/// </summary>
public static class Screenshots
{
    private static readonly string Directory =
        Environment.GetEnvironmentVariable("SCREENSHOT_DIR") is { Length: > 0 } directory
            ? directory
            : Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>Saves the whole of <paramref name="page"/> as <paramref name="fileName"/>.</summary>
    public static async Task SaveAsync(IPage page, string fileName)
    {
        System.IO.Directory.CreateDirectory(Directory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Directory, fileName), FullPage = true });
    }
}
