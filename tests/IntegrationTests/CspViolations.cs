using Microsoft.Playwright;

namespace IntegrationTests;

/// <summary>
/// Collects every Content-Security-Policy violation a page reports (the DOM's <c>securitypolicyviolation</c> event, and
/// Chromium's own "Refused to …" console errors), so a browser test fails when the app's pages break its own CSP.
/// </summary>
public sealed class CspViolations
{
    private const string Marker = "csp-violation:";
    private readonly List<string> _seen = [];

    private CspViolations()
    {
    }

    /// <summary>What was reported so far, one line per violation.</summary>
    public IReadOnlyList<string> Seen
    {
        get
        {
            lock (_seen)
            {
                return [.. _seen];
            }
        }
    }

    /// <summary>Fails, listing them, when any violation was reported.</summary>
    public void AssertNone()
    {
        var seen = Seen;
        Assert.True(seen.Count == 0, $"Content-Security-Policy violations:\n{string.Join('\n', seen)}");
    }

    /// <summary>Starts watching <paramref name="page"/>, before it loads anything.</summary>
    public static async Task<CspViolations> WatchAsync(IPage page)
    {
        var violations = new CspViolations();
        page.Console += (_, message) =>
        {
            var text = message.Text;
            if (text.StartsWith(Marker, StringComparison.Ordinal)
                || (message.Type == "error" && text.Contains("Content Security Policy", StringComparison.Ordinal)))
            {
                lock (violations._seen)
                {
                    violations._seen.Add($"{page.Url}: {text}");
                }
            }
        };
        // Injected by the browser's automation protocol, so the page's own CSP does not block this listener.
        await page.AddInitScriptAsync($$"""
            document.addEventListener('securitypolicyviolation', e =>
                console.log('{{Marker}} ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline')));
            """);
        return violations;
    }
}
