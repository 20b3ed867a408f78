using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;

namespace IntegrationTests;

/// <summary>
/// The web app while its database is gone, for real: the server is stopped, or frozen (it accepts connections and never
/// answers), under the running app. Probes and API clients get 503 in seconds (not after a minute of retries, nor after a
/// frozen server's wait), browsers a friendly page, nobody an exception message — not even Development's health report —
/// and once the server is back the same process serves again.
/// </summary>
public sealed partial class DatabaseOutageTests(OutageGraph graph) : IClassFixture<OutageGraph>
{
    /// <summary>
    /// How long a client waits for each answer: a hang guard, not the documented bound (docs/web-app.md: 3 s for /health,
    /// 8 s for the API; each answer's time is written to the test output). Above the minute and more that retries take,
    /// so a web app that retries again is caught by what it logs (<see cref="RetriesLoggedAsync"/>), not by the clock; below
    /// the Development copy's command timeout, so a probe that waits for a frozen server's answer fails here.
    /// </summary>
    private static readonly TimeSpan AnswerWithin = TestDeadline.Timeout;

    /// <summary>What EF Core logs (event <c>ExecutionStrategyRetrying</c>) each time its execution strategy retries.</summary>
    private const string RetryLogged = "The operation will be retried after";

    private const string FriendlyUnavailable = "Back in a moment";

    [Fact]
    public async Task While_the_database_is_stopped_health_and_API_answer_503_fast_and_both_recover_in_the_same_process()
    {
        using var apps = await ServingAppsAsync();
        var form = await FormTokenAsync(apps.Http);

        await PostgresStopStart.StopAsync(apps.App);
        try
        {
            await WebAppSettings.WaitOutReadinessAnswerAsync();
            await AssertUnavailableAsync(apps);
            using (var post = await TimedSendAsync(apps.Http, form.Post("/?handler=Done&id=1")))
            {
                await AssertFriendlyPageAsync(post, HttpStatusCode.ServiceUnavailable, FriendlyUnavailable, apps.Secrets);
            }

            using (var report = await TimedGetAsync(apps.Development, "/health"))
            {
                await AssertReportWithoutExceptionsAsync(report, apps.Secrets);
            }

            // Each request above, health checks included, tried the database once: nothing was retried.
            Assert.Equal(0, await RetriesLoggedAsync(apps.App, "webapp"));
            Assert.Equal(0, await RetriesLoggedAsync(apps.App, OutageGraph.DevelopmentWebApp));
        }
        finally
        {
            await PostgresStopStart.StartAsync(apps.App);
        }

        await AssertServingAgainAsync(apps);
    }

    [Fact]
    public async Task While_the_database_is_frozen_health_and_API_answer_503_fast_and_both_recover_on_their_own()
    {
        using var apps = await ServingAppsAsync();
        // Both apps now hold pooled connections, on which a statement sent to the frozen server waits for an answer.
        await AssertOkAsync(apps.Http, "/api/todos");
        await AssertOkAsync(apps.Development, "/api/todos");

        await using (await PostgresFreeze.FreezeAsync(apps.App))
        {
            await WebAppSettings.WaitOutReadinessAnswerAsync();
            await AssertUnavailableAsync(apps);

            // This copy lets a statement wait for minutes: its history read waits as long as the server stays frozen, and
            // only the probe's own timeout (HealthChecks:Timeout) answers — 503, the report hiding the timeout's exception.
            using (var report = await TimedGetAsync(apps.Development, "/health"))
            {
                var body = await report.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
                Assert.True(HttpStatusCode.ServiceUnavailable == report.StatusCode, $"{(int)report.StatusCode}: {body}");
                Assert.Equal(("Unhealthy", HiddenException), ReadinessCheck(body));
                AssertNoSecretOrException(body, apps.Secrets);
            }

            Assert.Equal(0, await RetriesLoggedAsync(apps.App, "webapp"));
        }

        await AssertServingAgainAsync(apps);
    }

    [Fact]
    public async Task An_unexpected_database_error_is_a_500_without_detail_and_with_the_headers()
    {
        var app = await graph.GetAsync();
        using var http = app.CreatePlainClient(timeout: AnswerWithin);
        var secrets = await SecretsAsync(app);

        // The table is gone: not an outage (no retry helps), a fault.
        await Database.ExecuteAsync(app, """ALTER TABLE "Todos" RENAME TO "TodosAway" """);
        try
        {
            using var api = await http.GetAsync("/api/todos", TestContext.Current.CancellationToken);
            using var page = await TimedGetAsync(http, "/", accept: "text/html");

            var body = await api.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True(HttpStatusCode.InternalServerError == api.StatusCode, $"{(int)api.StatusCode}: {body}");
            Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
            using (var problem = JsonDocument.Parse(body))
            {
                Assert.Equal(
                    ["status", "title", "traceId", "type"],
                    problem.RootElement.EnumerateObject().Select(p => p.Name).Order());
                Assert.Equal(500, problem.RootElement.GetProperty("status").GetInt32());
            }

            Assert.False(api.Headers.Contains("Retry-After"));
            AssertNoSecretOrException(body, secrets);
            SecurityHeadersAssert.Present(api);
            await AssertFriendlyPageAsync(page, HttpStatusCode.InternalServerError, "Something went wrong", secrets);
            Assert.False(page.Headers.Contains("Retry-After"));
        }
        finally
        {
            await Database.ExecuteAsync(app, """ALTER TABLE "TodosAway" RENAME TO "Todos" """);
        }
    }

    private const string HiddenException = "Failed with an error; the service's logs have the details.";

    /// <summary>What the readiness check says when its read of the database failed (<c>PendingMigrationsHealthCheck.NotAnswering</c>).</summary>
    private const string NotAnswering = "The database is not answering.";

    /// <summary>How many times <paramref name="resourceName"/> has logged an EF Core retry so far.</summary>
    private static async Task<int> RetriesLoggedAsync(DistributedApplication app, string resourceName) =>
        (await app.GetLogsAsync(resourceName)).Split('\n').Count(line => line.Contains(RetryLogged, StringComparison.Ordinal));

    private static async Task AssertUnavailableProblemAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(HttpStatusCode.ServiceUnavailable == response.StatusCode, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("The database is not answering. Try again in 5 seconds.", problem.RootElement.GetProperty("detail").GetString());
        Assert.False(problem.RootElement.TryGetProperty("exception", out _), body);
        SecurityHeadersAssert.Present(response);
    }

    private static async Task AssertFriendlyPageAsync(HttpResponseMessage response, HttpStatusCode status, string heading, string[] secrets)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"<h1>{heading}</h1>", body);
        if (status == HttpStatusCode.ServiceUnavailable)
        {
            Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        }

        AssertNoSecretOrException(body, secrets);
        SecurityHeadersAssert.Present(response);
    }

    /// <summary>Development's report: every check named, each failed one described without its exception's message.</summary>
    private static async Task AssertReportWithoutExceptionsAsync(HttpResponseMessage response, string[] secrets)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(HttpStatusCode.ServiceUnavailable == response.StatusCode, $"{(int)response.StatusCode}: {body}");
        using var report = JsonDocument.Parse(body);
        var checks = report.RootElement.GetProperty("checks").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => (
                Status: c.GetProperty("status").GetString(),
                Description: c.GetProperty("description").GetString()));
        // One check reads the database; it failed (Npgsql's timeout), or the probe's own timeout answered first.
        Assert.Equal(["pending-migrations", "self"], checks.Keys.Order());
        Assert.Equal("Unhealthy", checks["pending-migrations"].Status);
        Assert.Contains(checks["pending-migrations"].Description, new[] { NotAnswering, HiddenException });
        Assert.Equal(("Healthy", null), checks["self"]);
        AssertNoSecretOrException(body, secrets);
    }

    /// <summary>The readiness check's status and description in Development's report.</summary>
    private static (string? Status, string? Description) ReadinessCheck(string body)
    {
        using var report = JsonDocument.Parse(body);
        var check = report.RootElement.GetProperty("checks").EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == "pending-migrations");
        return (check.GetProperty("status").GetString(), check.GetProperty("description").GetString());
    }

    /// <summary>Both web apps healthy; a client for each, with the hang guard; the web app's pid and the secrets to look for.</summary>
    private async Task<ServingApps> ServingAppsAsync()
    {
        var app = await graph.GetAsync();
        await app.WaitForHealthyAsync(OutageGraph.DevelopmentWebApp);
        return new ServingApps(app, app.CreatePlainClient(timeout: AnswerWithin),
            app.CreatePlainClient(OutageGraph.DevelopmentWebApp, AnswerWithin), ProcessId(app, "webapp"), await SecretsAsync(app));
    }

    private sealed record ServingApps(DistributedApplication App, HttpClient Http, HttpClient Development, string? Pid, string[] Secrets)
        : IDisposable
    {
        public void Dispose()
        {
            Http.Dispose();
            Development.Dispose();
        }
    }

    /// <summary>
    /// What the web app answers with the database gone: the API first (its request takes a pooled connection, whose
    /// statement then meets the server), then the probe, then a page.
    /// </summary>
    private static async Task AssertUnavailableAsync(ServingApps apps)
    {
        using (var api = await TimedGetAsync(apps.Http, "/api/todos"))
        {
            await AssertUnavailableProblemAsync(api);
        }

        using (var health = await TimedGetAsync(apps.Http, "/health"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Equal("Unhealthy", await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            SecurityHeadersAssert.Present(health);
        }

        using (var page = await TimedGetAsync(apps.Http, "/", accept: "text/html"))
        {
            await AssertFriendlyPageAsync(page, HttpStatusCode.ServiceUnavailable, FriendlyUnavailable, apps.Secrets);
        }
    }

    /// <summary>Once the server answers again, both apps turn ready and serve, in the same processes, with nothing restarted.</summary>
    private static async Task AssertServingAgainAsync(ServingApps apps)
    {
        await PollUntilOkAsync(apps.Http, "/health");
        await PollUntilOkAsync(apps.Development, "/health");
        await AssertOkAsync(apps.Http, "/api/todos");
        Assert.Equal(apps.Pid, ProcessId(apps.App, "webapp"));
    }

    private static async Task AssertOkAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.True(HttpStatusCode.OK == response.StatusCode, $"{path}: {(int)response.StatusCode}");
    }

    /// <summary>Nothing from an exception (Npgsql's messages name the server's address) and no secret.</summary>
    private static void AssertNoSecretOrException(string body, string[] secrets)
    {
        foreach (var text in secrets.Concat(["Exception", "Npgsql", "Failed to connect", "127.0.0.1", "localhost", "   at "]))
        {
            Assert.False(body.Contains(text, StringComparison.OrdinalIgnoreCase), $"'{text}' in: {body}");
        }
    }

    /// <summary>The password, and the server's port as it appears in messages (":5432").</summary>
    private static async Task<string[]> SecretsAsync(DistributedApplication app)
    {
        var server = new NpgsqlConnectionStringBuilder(await app.GetConnectionStringAsync("appdb", TestContext.Current.CancellationToken));
        return [await Database.PasswordAsync(app), $":{server.Port}"];
    }

    private static Task<HttpResponseMessage> TimedGetAsync(HttpClient http, string path, string? accept = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        return TimedSendAsync(http, request);
    }

    /// <summary>Sends; fails with a clear message when the answer takes longer than <see cref="AnswerWithin"/>.</summary>
    private static async Task<HttpResponseMessage> TimedSendAsync(HttpClient http, HttpRequestMessage request)
    {
        var stopwatch = Stopwatch.StartNew();
        try
        {
            var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"{request.Method} {request.RequestUri} → {(int)response.StatusCode} in {stopwatch.Elapsed.TotalSeconds:0.00} s");
            return response;
        }
        catch (TaskCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"{request.Method} {request.RequestUri}: no answer within {AnswerWithin.TotalSeconds} s.");
            throw;
        }
    }

    private static async Task PollUntilOkAsync(HttpClient http, string path)
    {
        using var deadline = TestDeadline.Start();
        while (true)
        {
            using (var response = await http.GetAsync(path, deadline.Token))
            {
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), deadline.Token);
        }
    }

    private static string? ProcessId(DistributedApplication app, string resourceName)
    {
        Assert.True(app.ResourceNotifications.TryGetCurrentState(resourceName, out var resource));
        return resource.Snapshot.Properties.SingleOrDefault(p => p.Name == "executable.pid")?.Value?.ToString();
    }

    /// <summary>An antiforgery token and its cookie, from the to-do page, for a form post made later.</summary>
    private static async Task<FormToken> FormTokenAsync(HttpClient http)
    {
        using var page = await http.GetAsync("/", TestContext.Current.CancellationToken);
        var html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var token = TokenInput().Match(html).Groups["token"].Value;
        var cookie = page.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        return new FormToken(token, cookie);
    }

    private sealed record FormToken(string Token, string Cookie)
    {
        public HttpRequestMessage Post(string path)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, path)
            {
                Content = new StringContent($"__RequestVerificationToken={Uri.EscapeDataString(Token)}", Encoding.UTF8,
                    "application/x-www-form-urlencoded"),
            };
            request.Headers.Add("Cookie", Cookie);
            request.Headers.Accept.ParseAdd("text/html");
            return request;
        }
    }

    [GeneratedRegex("""name="__RequestVerificationToken" type="hidden" value="(?<token>[^"]+)(?=")""")]
    private static partial Regex TokenInput();
}
