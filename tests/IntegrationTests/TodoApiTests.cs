using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace IntegrationTests;

/// <summary>
/// The JSON API on the real graph, run as Production: the validation matrix (each bad input → the right 4xx as problem
/// details, nothing stored), not-found answers, the size limit, and a create → read → replace → delete round trip.
/// Smoke: a later build's compatibility check (compat/run) runs them all on its newer schema.
/// </summary>
[Collection(ProductionGraphCollection.Name)]
[Trait("Category", "Smoke")]
public sealed class TodoApiTests(ProductionGraph graph)
{
    private const string Todos = "/api/todos";

    /// <summary>The largest request body the web app reads (docs/web-app.md: 8 KiB).</summary>
    private const int BodyLimit = 8 * 1024;

    /// <summary>Bodies the API must refuse with 400: case, body, the field the error names (null: the body is unreadable).</summary>
    public static TheoryData<string, string, string?> InvalidBodies => new()
    {
        { "not JSON", """{"title": """, null },
        { "empty body", "", null },
        { "JSON null", "null", null },
        { "an array", """[{"title": "x"}]""", null },
        { "nesting past the depth limit", new string('[', 5000), null },
        { "title missing", "{}", "Title" },
        { "title null", """{"title": null}""", "Title" },
        { "title empty", """{"title": ""}""", "Title" },
        { "title only spaces", """{"title": "   "}""", "Title" },
        { "title too long", $$"""{"title": "{{new string('x', 201)}}"}""", "Title" },
        { "title a number", """{"title": 42}""", null },
        { "title an object", """{"title": {"$ne": ""}}""", null },
        { "title with NUL", """{"title": "a\u0000b"}""", "Title" },
        { "title with a line break", """{"title": "a\nb"}""", "Title" },
        { "title with a tab", """{"title": "a\tb"}""", "Title" },
        { "title with a terminal escape", """{"title": "\u001b[31mred"}""", "Title" },
        { "title with a lone surrogate", """{"title": "a\ud800b"}""", null },
        { "isDone a string", """{"title": "x", "isDone": "yes"}""", null },
        { "dueDate not a date", """{"title": "x", "dueDate": "soon"}""", null },
        { "dueDate impossible", """{"title": "x", "dueDate": "2030-02-30"}""", null },
        { "dueDate with a time", """{"title": "x", "dueDate": "2030-01-01T10:00:00"}""", null },
        { "dueDate before 2000", """{"title": "x", "dueDate": "1999-12-31"}""", "DueDate" },
        { "dueDate after 2099", """{"title": "x", "dueDate": "2100-01-01"}""", "DueDate" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Post_refuses_an_invalid_body_with_400_and_stores_nothing(string @case, string body, string? field)
    {
        var app = await graph.GetAsync();
        using var http = app.CreateHttpClient("webapp");
        var before = await Database.TodoRowsAsync(app);

        using var response = await http.PostAsync(Todos, Json(body), TestContext.Current.CancellationToken);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, field, @case);
        Assert.Equal(before, await Database.TodoRowsAsync(app));
    }

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Put_refuses_an_invalid_body_with_400_and_changes_nothing(string @case, string body, string? field)
    {
        var app = await graph.GetAsync();
        using var http = app.CreateHttpClient("webapp");
        var existing = await CreateAsync(http, new { title = "Left alone", dueDate = "2030-01-01" });
        var before = await Database.TodoRowsAsync(app);

        using var response = await http.PutAsync($"{Todos}/{existing.Id}", Json(body), TestContext.Current.CancellationToken);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, field, @case);
        Assert.Equal(before, await Database.TodoRowsAsync(app));
    }

    [Fact]
    public async Task A_body_one_byte_over_the_size_limit_is_413_and_stores_nothing()
    {
        var app = await graph.GetAsync();
        using var http = app.CreateHttpClient("webapp");
        var before = await Database.TodoRowsAsync(app);

        using var response = await http.PostAsync(Todos, BodyOfSize(BodyLimit + 1), TestContext.Current.CancellationToken);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, await Database.TodoRowsAsync(app));
    }

    [Fact]
    public async Task A_body_exactly_at_the_size_limit_is_read_and_validated()
    {
        var app = await graph.GetAsync();
        using var http = app.CreateHttpClient("webapp");
        var before = await Database.TodoRowsAsync(app);

        using var response = await http.PostAsync(Todos, BodyOfSize(BodyLimit), TestContext.Current.CancellationToken);

        // Past the size check: the title (thousands of characters) is what is refused.
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "Title");
        Assert.Equal(before, await Database.TodoRowsAsync(app));
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_415_and_stores_nothing()
    {
        var app = await graph.GetAsync();
        using var http = app.CreateHttpClient("webapp");
        var before = await Database.TodoRowsAsync(app);

        using var response = await http.PostAsync(Todos, new StringContent("""{"title": "x"}""", Encoding.UTF8, "text/plain"),
            TestContext.Current.CancellationToken);

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(before, await Database.TodoRowsAsync(app));
    }

    [Theory]
    [InlineData("GET", "/api/todos/2147483647")]
    [InlineData("PUT", "/api/todos/2147483647")]
    [InlineData("DELETE", "/api/todos/2147483647")]
    [InlineData("GET", "/api/todos/-1")]
    [InlineData("GET", "/api/todos/abc")]
    [InlineData("GET", "/api/todos/99999999999999999999")]
    public async Task A_missing_id_is_404_problem_details(string method, string path)
    {
        var app = await graph.GetAsync();
        using var http = app.CreateHttpClient("webapp");
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "PUT")
        {
            request.Content = Json("""{"title": "Nobody home"}""");
        }

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("Robert'); DROP TABLE \"Todos\";--")]
    [InlineData("' OR '1'='1")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("Zoë's café ☕ — 🚀 naïve")]
    public async Task Text_that_looks_like_code_is_stored_verbatim(string title)
    {
        var app = await graph.GetAsync();
        using var http = app.CreateHttpClient("webapp");

        var created = await CreateAsync(http, new { title });

        Assert.Equal(title, created.Title);
        var read = await http.GetFromJsonAsync<Todo>($"{Todos}/{created.Id}", TestContext.Current.CancellationToken);
        Assert.Equal(title, read!.Title);
    }

    [Fact]
    public async Task Titles_are_trimmed_and_the_bounds_are_inclusive()
    {
        var app = await graph.GetAsync();
        using var http = app.CreateHttpClient("webapp");
        var longest = new string('y', 200);

        var trimmed = await CreateAsync(http, new { title = "  Padded  ", dueDate = "2000-01-01" });
        var atTheLimits = await CreateAsync(http, new { title = longest, dueDate = "2099-12-31" });

        Assert.Equal("Padded", trimmed.Title);
        Assert.Equal(new DateOnly(2000, 1, 1), trimmed.DueDate);
        Assert.Equal(longest, atTheLimits.Title);
        Assert.Equal(new DateOnly(2099, 12, 31), atTheLimits.DueDate);
    }

    [Fact]
    public async Task Create_read_replace_delete_round_trip()
    {
        var app = await graph.GetAsync();
        using var http = app.CreateHttpClient("webapp");
        var cancellationToken = TestContext.Current.CancellationToken;

        using var created = await http.PostAsJsonAsync(Todos, new { title = "Book the dentist", dueDate = "2031-03-04" }, cancellationToken);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var todo = (await created.Content.ReadFromJsonAsync<Todo>(cancellationToken))!;
        Assert.Equal($"{Todos}/{todo.Id}", created.Headers.Location?.OriginalString);
        Assert.Equal(new Todo(todo.Id, "Book the dentist", false, todo.CreatedAt, new DateOnly(2031, 3, 4)), todo);
        Assert.InRange(todo.CreatedAt, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1));

        Assert.Equal(todo, await http.GetFromJsonAsync<Todo>(created.Headers.Location, cancellationToken));
        Assert.Contains(todo, await ListAllAsync(http));

        using var replaced = await http.PutAsJsonAsync($"{Todos}/{todo.Id}", new { title = "Dentist booked", isDone = true }, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var expected = todo with { Title = "Dentist booked", IsDone = true, DueDate = null };
        Assert.Equal(expected, await replaced.Content.ReadFromJsonAsync<Todo>(cancellationToken));
        Assert.Equal(expected, await http.GetFromJsonAsync<Todo>($"{Todos}/{todo.Id}", cancellationToken));

        using var deleted = await http.DeleteAsync($"{Todos}/{todo.Id}", cancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var readAgain = await http.GetAsync($"{Todos}/{todo.Id}", cancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, readAgain.StatusCode);
        using var deletedAgain = await http.DeleteAsync($"{Todos}/{todo.Id}", cancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, deletedAgain.StatusCode);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>A to-do whose JSON is exactly <paramref name="bytes"/> long (ASCII: one byte per character).</summary>
    private static StringContent BodyOfSize(int bytes)
    {
        const string prefix = "{\"title\": \"", suffix = "\"}";
        var content = Json(prefix + new string('x', bytes - prefix.Length - suffix.Length) + suffix);
        Assert.Equal(bytes, content.Headers.ContentLength);
        return content;
    }

    /// <summary>Every to-do, page after page, following each <c>Link: rel="next"</c> to the end.</summary>
    private static async Task<List<Todo>> ListAllAsync(HttpClient http)
    {
        var todos = new List<Todo>();
        for (Uri? next = new(Todos, UriKind.Relative); next is not null;)
        {
            using var response = await http.GetAsync(next, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            todos.AddRange((await response.Content.ReadFromJsonAsync<List<Todo>>(TestContext.Current.CancellationToken))!);
            next = NextPageLink.Of(response);
        }

        return todos;
    }

    private static async Task<Todo> CreateAsync(HttpClient http, object request)
    {
        using var response = await http.PostAsJsonAsync(Todos, request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Todo>(TestContext.Current.CancellationToken))!;
    }

    /// <summary>
    /// The status, as an RFC 7807 document that says the same status, names <paramref name="field"/> when given, and
    /// carries no exception detail (Production).
    /// </summary>
    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? field = null, string? @case = null)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(status == response.StatusCode, $"{@case}: expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);

        using var problem = JsonDocument.Parse(body);
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(problem.RootElement.TryGetProperty("exception", out _), $"{@case}: exception details leaked: {body}");
        if (field is not null)
        {
            Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"{@case}: no error for {field}: {body}");
        }
    }

    private sealed record Todo(int Id, string Title, bool IsDone, DateTimeOffset CreatedAt, DateOnly? DueDate);
}
