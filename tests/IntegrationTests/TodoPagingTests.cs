using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace IntegrationTests;

/// <summary>
/// Bounded lists on a table of 20 000 to-dos: the API answers one page of the default size and a next link; following
/// the links visits every row once, in list order, even while rows are inserted; the <c>/</c> page shows one page and
/// links to the next; bad paging parameters are 400 problem details.
/// </summary>
public sealed partial class TodoPagingTests(LargeListGraph graph) : IClassFixture<LargeListGraph>
{
    private const int DefaultLimit = 50;
    private const int MaxLimit = 200;

    /// <summary>Ids of every to-do in list order, read from the database: what the pages must add up to.</summary>
    internal const string ListOrderSql = """SELECT "Id" FROM "Todos" ORDER BY "IsDone", "DueDate" NULLS LAST, "Id" """;

    [Fact]
    public async Task Without_parameters_the_API_returns_the_first_page_of_the_default_size_and_a_next_link()
    {
        var app = await graph.GetFilledAsync();
        using var http = app.CreatePlainClient();
        var expected = (await IdsInListOrderAsync(app)).Take(DefaultLimit);

        using var response = await http.GetAsync("/api/todos", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = (await response.Content.ReadFromJsonAsync<List<TodoId>>(TestContext.Current.CancellationToken))!;
        Assert.Equal(expected, page.Select(t => t.Id));
        Assert.StartsWith($"/api/todos?limit={DefaultLimit}&after=", NextPageLink.Of(response)?.OriginalString);
    }

    [Theory]
    [InlineData(MaxLimit)]
    [InlineData(7)]
    public async Task Following_the_next_links_visits_every_row_once_in_list_order(int limit)
    {
        var app = await graph.GetFilledAsync();
        using var http = app.CreatePlainClient();
        var expected = await IdsInListOrderAsync(app);
        Assert.Equal(LargeListGraph.Rows, expected.Count);

        var (visited, pages) = limit == MaxLimit
            ? await WalkAsync(http, limit)
            : await WalkAsync(http, limit, maxPages: 40);

        if (limit == MaxLimit)
        {
            Assert.Equal(expected, visited);
            Assert.Equal(LargeListGraph.Rows / MaxLimit, pages);
        }
        else
        {
            // A small page size, the first 40 pages: the same order, without gaps at the page edges.
            Assert.Equal(expected.Take(40 * limit), visited);
        }
    }

    [Fact]
    public async Task Rows_inserted_while_a_client_pages_through_never_shift_a_page()
    {
        var app = await graph.GetFilledAsync();
        using var http = app.CreatePlainClient();
        var before = await IdsInListOrderAsync(app);
        using var stop = new CancellationTokenSource();
        // Rows that sort everywhere: before the walk's position (open, early dates) and after it (done, no date).
        var inserting = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                await Database.ExecuteAsync(app, $"""
                    INSERT INTO "Todos" ("Title", "IsDone", "DueDate")
                    VALUES ('Concurrent {i}', {(i % 2 == 0 ? "false" : "true")}, {(i % 3 == 0 ? "NULL" : "DATE '2030-01-01' + " + i % 60)})
                    """);
            }
        }, TestContext.Current.CancellationToken);

        try
        {
            var (visited, _) = await WalkAsync(http, MaxLimit);
            await stop.CancelAsync();
            await inserting;

            var inserted = (await IdsInListOrderAsync(app)).Except(before).ToHashSet();
            Assert.NotEmpty(inserted);
            Assert.Equal(visited.Count, visited.Distinct().Count());
            // Every row that was there all along, in list order; new rows only where they sort, never twice.
            Assert.Equal(before, visited.Where(id => !inserted.Contains(id)));
            var seen = visited.ToHashSet();
            Assert.Equal((await IdsInListOrderAsync(app)).Where(seen.Contains), visited);
        }
        finally
        {
            await stop.CancelAsync();
            await inserting.ContinueWith(_ => { }, TaskScheduler.Default);
            await Database.ExecuteAsync(app, """DELETE FROM "Todos" WHERE "Title" LIKE 'Concurrent %'""");
        }
    }

    [Fact]
    public async Task The_todo_page_shows_one_page_and_links_to_the_next()
    {
        var app = await graph.GetFilledAsync();
        using var http = app.CreatePlainClient();
        var expected = await TitlesInListOrderAsync(app);

        var first = await http.GetStringAsync("/", TestContext.Current.CancellationToken);
        var next = Assert.Single(NextLink().Matches(first)).Groups["href"].Value;
        var second = await http.GetStringAsync(WebUtility.HtmlDecode(next), TestContext.Current.CancellationToken);

        Assert.Equal(expected.Take(DefaultLimit), Titles(first));
        Assert.Equal(expected.Skip(DefaultLimit).Take(DefaultLimit), Titles(second));
        Assert.DoesNotContain("class=\"first\"", first);
        Assert.Contains("<a class=\"first\" href=\"/\">First page</a>", second);
    }

    /// <summary>Paging parameters the API refuses: the query string and the parameter the error names.</summary>
    public static TheoryData<string, string> BadParameters => new()
    {
        { "limit=0", "limit" },
        { $"limit={MaxLimit + 1}", "limit" },
        { "limit=-1", "limit" },
        { "limit=abc", "limit" },
        { "limit=1.5", "limit" },
        { "limit=", "limit" },
        { "limit=%2B5", "limit" },
        { "limit=99999999999", "limit" },
        { "after=", "after" },
        { "after=not-a-cursor", "after" },
        { "after=" + Cursor("v1.0.20300101.5") + "%3D", "after" },
        { "after=" + Cursor("v2.0.20300101.5"), "after" },
        { "after=" + Cursor("v1.2.20300101.5"), "after" },
        { "after=" + Cursor("v1.0.20300230.5"), "after" },
        { "after=" + Cursor("v1.0.2030-01-01.5"), "after" },
        { "after=" + Cursor("v1.0.-.0"), "after" },
        { "after=" + Cursor("v1.0.-.007"), "after" },
        { "after=" + Cursor("v1.0.-.5.6"), "after" },
        { "after=" + Cursor("v1.0.-.99999999999"), "after" },
    };

    [Theory]
    [MemberData(nameof(BadParameters))]
    public async Task Bad_paging_parameters_are_400_problem_details_naming_the_parameter(string query, string parameter)
    {
        var app = await graph.GetFilledAsync();
        using var http = app.CreatePlainClient();

        using var response = await http.GetAsync($"/api/todos?{query}", TestContext.Current.CancellationToken);

        await AssertBadParameterAsync(response, parameter);
    }

    [Fact]
    public async Task A_cursor_edited_by_hand_is_400()
    {
        var app = await graph.GetFilledAsync();
        using var http = app.CreatePlainClient();
        using var first = await http.GetAsync("/api/todos", TestContext.Current.CancellationToken);
        var after = NextPageLink.Of(first)!.OriginalString.Split("after=")[1];
        // The same cursor with its last character changed: the bits it adds past the payload make it non-canonical.
        var tampered = after[..^1] + (after[^1] == 'A' ? 'B' : 'A');

        using var response = await http.GetAsync($"/api/todos?after={tampered}", TestContext.Current.CancellationToken);
        using var page = await http.GetAsync($"/?after={tampered}", TestContext.Current.CancellationToken);

        await AssertBadParameterAsync(response, "after");
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
    }

    private static async Task AssertBadParameterAsync(HttpResponseMessage response, string parameter)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(HttpStatusCode.BadRequest == response.StatusCode, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal([parameter], problem.RootElement.GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }

    /// <summary>Follows the next links from the first page of <paramref name="limit"/>; returns the ids seen and the page count.</summary>
    private static async Task<(List<int> Ids, int Pages)> WalkAsync(HttpClient http, int limit, int maxPages = int.MaxValue)
    {
        var ids = new List<int>();
        var pages = 0;
        for (Uri? next = new($"/api/todos?limit={limit}", UriKind.Relative); next is not null && pages < maxPages; pages++)
        {
            using var response = await http.GetAsync(next, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = (await response.Content.ReadFromJsonAsync<List<TodoId>>(TestContext.Current.CancellationToken))!;
            Assert.InRange(page.Count, 1, limit);
            ids.AddRange(page.Select(t => t.Id));
            next = NextPageLink.Of(response);
            Assert.True(next is null || page.Count == limit, "A page short of the limit must be the last.");
        }

        return (ids, pages);
    }

    private static async Task<List<int>> IdsInListOrderAsync(DistributedApplication app)
    {
        await using var connection = await Database.OpenAsync(app);
        return await Database.QueryAsync<int>(connection, ListOrderSql);
    }

    private static async Task<List<string>> TitlesInListOrderAsync(DistributedApplication app)
    {
        await using var connection = await Database.OpenAsync(app);
        return await Database.QueryAsync<string>(connection, ListOrderSql.Replace("SELECT \"Id\"", "SELECT \"Title\""));
    }

    private static IEnumerable<string> Titles(string html) =>
        TitleSpan().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups["title"].Value));

    /// <summary>A cursor of the API's documented shape around <paramref name="plain"/>: base64url without padding.</summary>
    private static string Cursor(string plain) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(plain)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("""<span class="title">(?<title>[^<]*)</span>""")]
    private static partial Regex TitleSpan();

    [GeneratedRegex("""<a class="next" rel="next" href="(?<href>[^"]+)">""")]
    private static partial Regex NextLink();

    private sealed record TodoId(int Id);
}
