using System.Text.RegularExpressions;

namespace IntegrationTests;

/// <summary>The API's paging link: <c>Link: &lt;/api/todos?limit=…&amp;after=…&gt;; rel="next"</c> (RFC 8288).</summary>
public static partial class NextPageLink
{
    /// <summary>The next page's URL (relative), or null on the last page. Fails on a Link header of any other shape.</summary>
    public static Uri? Of(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var values))
        {
            return null;
        }

        var link = Assert.Single(values);
        var match = Shape().Match(link);
        Assert.True(match.Success, $"Unexpected Link header: {link}");
        return new Uri(match.Groups["url"].Value, UriKind.Relative);
    }

    [GeneratedRegex("""^<(?<url>/api/todos\?limit=\d+&after=[A-Za-z0-9_-]+)>; rel="next"$""")]
    private static partial Regex Shape();
}
