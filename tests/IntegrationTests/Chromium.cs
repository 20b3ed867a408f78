using Microsoft.Playwright;

namespace IntegrationTests;

/// <summary>
/// The system's Chromium (Debian's <c>chromium</c> package), driven by Playwright. Playwright's own browser download is
/// never used: <see cref="ExecutablePath"/> points at the installed one.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    /// <summary>Where Debian installs it; <c>CHROMIUM_PATH</c> overrides.</summary>
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private readonly IPlaywright _playwright;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    /// <summary>The launched, headless browser.</summary>
    public IBrowser Browser { get; }

    /// <summary>
    /// Launches it headless. Without it the calling test is skipped, saying why (under CI, where xunit fails skipped
    /// tests, <c>.ci/run</c> installs it).
    /// </summary>
    public static async Task<Chromium> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            Assert.Skip($"No Chromium at {ExecutablePath}: install it (apt-get install chromium) or set CHROMIUM_PATH.");
        }

        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                // Running as root needs no sandbox; the rest keeps a machine without a network or a GPU quiet.
                ChromiumSandbox = false,
                Args = ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync"],
                Timeout = (float)TestDeadline.Timeout.TotalMilliseconds,
            });
            return new Chromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A new page (fresh context: no cookies) whose waits use the tests' generous deadline.</summary>
    public async Task<IPage> NewPageAsync(int width = 900, int height = 400)
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        page.SetDefaultTimeout((float)TestDeadline.Timeout.TotalMilliseconds);
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
