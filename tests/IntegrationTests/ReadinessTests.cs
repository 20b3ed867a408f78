using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationTests;

/// <summary>
/// The readiness gate for real: a database one migration behind keeps the running web app unready until the worker
/// brings it to the latest — what the cloud, which has no <c>WaitForCompletion</c>, relies on.
/// </summary>
public sealed class ReadinessTests
{
    [Fact]
    public async Task Webapp_is_unready_while_a_migration_is_pending_and_ready_once_migrated()
    {
        // The worker stops at the first migration and exits 0, so the web app starts on a schema that is behind.
        var builder = await TestGraph.CreateBuilderAsync($"--Migrations:Target={Migrations.Names[0]}");
        builder.WebApp().WithReadinessInterval();
        await using var app = await TestGraph.StartAsync(builder);
        Assert.Equal(0, (await app.WaitForExitAsync("migrations")).ExitCode);
        await app.WaitForStateAsync("webapp", KnownResourceStates.Running);
        // No resilience handler here (unlike CreateHttpClient's): its retries would hide each 503 the probe sees.
        using var http = new HttpClient { BaseAddress = app.GetEndpoint("webapp", "http") };
        var password = await Database.PasswordAsync(app);

        // Running is not yet listening: wait for the first answer from a read of the history, which must be "not ready"
        // (a new process's first read can outlast the probe's timeout: that answer, a 503 too, says only that it failed).
        var (status, body) = await PollHealthAsync(http,
            until: answer => answer.Status is not null && !answer.Body.Contains(TimedOut, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        using (var report = JsonDocument.Parse(body))
        {
            Assert.Equal("Unhealthy", report.RootElement.GetProperty("status").GetString());
            var checks = report.RootElement.GetProperty("checks").EnumerateArray()
                .ToDictionary(c => c.GetProperty("name").GetString()!, c => c);
            // One check reads the database (which answers): what fails is the pending migration, and the report names it.
            Assert.Equal(["pending-migrations", "self"], checks.Keys.Order());
            Assert.Equal("Unhealthy", checks["pending-migrations"].GetProperty("status").GetString());
            Assert.Contains(Migrations.Ids[1], checks["pending-migrations"].GetProperty("description").GetString());
        }

        Assert.DoesNotContain(password!, body);
        Assert.DoesNotContain("Password", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Host=", body, StringComparison.OrdinalIgnoreCase);
        using (var alive = await http.GetAsync("/alive", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        }

        var schemaPage = await http.GetStringAsync("/schema", TestContext.Current.CancellationToken);
        Assert.Contains($"{Migrations.Ids.Count - 1} pending", schemaPage);

        // Migrate to the latest, as a deployment's migration job would, and the same process turns ready.
        var worker = await WorkerProcess.RunAsync(await app.GetConnectionStringAsync("appdb", TestContext.Current.CancellationToken));
        Assert.True(worker.ExitCode == 0, worker.Output);

        (status, body) = await PollHealthAsync(http, until: answer => answer.Status == HttpStatusCode.OK);
        Assert.Contains("\"status\":\"Healthy\"", body);
        await app.WaitForHealthyAsync("webapp");
        Assert.Contains("0 pending", await http.GetStringAsync("/schema", TestContext.Current.CancellationToken));

        // A newer release migrated further (a rollback deployed this build again, or this revision restarts during a
        // rollout): this build stays ready on the newer schema (expand/contract).
        await Database.ExecuteAsync(app, Migrations.RecordNewerReleaseSql);
        // Past the interval, so the answer comes from a read of the newer history, not from the one before it.
        await WebAppSettings.WaitOutReadinessAnswerAsync();
        using var health = await http.GetAsync("/health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    /// <summary>What Development's report says of a check that did not answer within its timeout (ServiceDefaults).</summary>
    private const string TimedOut = "Failed with an error; the service's logs have the details.";

    /// <summary>Asks <c>/health</c> until <paramref name="until"/> holds for its status (null: not listening yet) and body.</summary>
    private static Task<(HttpStatusCode? Status, string Body)> PollHealthAsync(HttpClient http, Func<(HttpStatusCode? Status, string Body), bool> until) =>
        Poll.UntilAsync(async cancellationToken =>
        {
            try
            {
                using var response = await http.GetAsync("/health", cancellationToken);
                return ((HttpStatusCode?)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
            }
            catch (HttpRequestException)
            {
                return (null, "");
            }
        }, until, TimeSpan.FromMilliseconds(500));
}
