using System.Collections.Concurrent;
using System.Net;
using SafeMigrations.Worker;

namespace IntegrationTests;

/// <summary>What the worker sends to an OpenTelemetry collector (the dashboard, under the AppHost), decoded from OTLP.</summary>
public sealed class WorkerTelemetryTests(PostgresServer server)
{
    [Fact]
    public async Task Worker_exports_a_span_per_run_context_and_seed_and_the_migration_metrics_and_never_the_web_password()
    {
        var db = await server.NewDatabaseAsync();
        const string webPassword = "Web-Password-Traced-5b0e";
        var port = LoopbackPort.Free();
        using var collector = new HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        var received = new ConcurrentQueue<(string Path, OtlpMessage Request)>();
        var bodies = new ConcurrentQueue<byte[]>();
        var receiving = ReceiveAsync(collector, received, bodies);

        var result = await WorkerProcess.Start(db, [], new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{port}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            // The password the run sets: no span (Npgsql traces each command's text) and no log may carry it or its verifier.
            ["ConnectionStrings__appdb-web"] = WebRole.Login(db, $"{new Npgsql.NpgsqlConnectionStringBuilder(db).Database}_web", webPassword),
            ["Logging__LogLevel__Default"] = "Debug",
        }).WaitAsync();
        collector.Stop();
        await receiving;

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("its password was set", result.Output);
        Assert.Contains(received, r => r.Path == "/v1/traces");
        foreach (var secret in new[] { webPassword, "SCRAM-SHA-256$", "PASSWORD '" })
        {
            Assert.DoesNotContain(secret, result.Output);
            Assert.DoesNotContain(bodies, body => System.Text.Encoding.UTF8.GetString(body).Contains(secret, StringComparison.Ordinal));
        }

        var spans = OwnItems(received, "/v1/traces")
            .ToDictionary(span => span.String(5)!, span => (Id: span.String(2), Parent: span.String(4))); // Span: name 5, span_id 2, parent_span_id 4
        Assert.Equal(["migrate AppDbContext", "migrations", "seed AppDbContext"], spans.Keys.Order());
        Assert.Equal(spans["migrations"].Id, spans["migrate AppDbContext"].Parent);
        Assert.Equal(spans["migrate AppDbContext"].Id, spans["seed AppDbContext"].Parent);

        // Metrics are cumulative: the last export holds the run's totals. Metric: name 1, sum 7, histogram 9.
        var metrics = OwnItems(received, "/v1/metrics")
            .GroupBy(metric => metric.String(1)!).ToDictionary(g => g.Key, g => g.Last());
        Assert.Equal(["migrations.applied", "migrations.context.duration"], metrics.Keys.Order());
        // NumberDataPoint: attributes 7, as_int 6.
        var applied = metrics["migrations.applied"].Messages(7).Single().Messages(1)
            .ToDictionary(point => point.Attributes(7)["direction"], point => (long)point.Fixed64(6)!.Value);
        Assert.Equal(new Dictionary<string, long> { ["up"] = Migrations.Ids.Count, ["down"] = 0 }, applied);
        // HistogramDataPoint: attributes 9, count 4, sum 5.
        var duration = Assert.Single(metrics["migrations.context.duration"].Messages(9).Single().Messages(1));
        Assert.Equal(new Dictionary<string, string> { ["db.context"] = "AppDbContext", ["outcome"] = "succeeded" }, duration.Attributes(9));
        Assert.Equal(1UL, duration.Fixed64(4));
        Assert.InRange(BitConverter.UInt64BitsToDouble(duration.Fixed64(5)!.Value), 0.001, TestDeadline.Timeout.TotalSeconds);
    }

    /// <summary>
    /// The spans or metrics of the worker's own instrumentation (scope <c>MigrationService</c>) in every request to
    /// <paramref name="path"/>. Traces and metrics nest alike: request → resource spans/metrics (1) → scope spans/metrics
    /// (2; the scope in 1, its name in 1) → spans/metrics (2).
    /// </summary>
    private static IEnumerable<OtlpMessage> OwnItems(IEnumerable<(string Path, OtlpMessage Request)> received, string path) =>
        received.Where(r => r.Path == path)
            .SelectMany(r => r.Request.Messages(1))
            .SelectMany(resource => resource.Messages(2))
            .Where(scope => scope.Messages(1).Single().String(1) == MigrationTelemetry.Name)
            .SelectMany(scope => scope.Messages(2));

    private static async Task ReceiveAsync(HttpListener listener, ConcurrentQueue<(string, OtlpMessage)> received, ConcurrentQueue<byte[]> bodies)
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return; // stopped
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            received.Enqueue((context.Request.Url!.AbsolutePath, OtlpMessage.Parse(body.ToArray())));
            bodies.Enqueue(body.ToArray());
            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }
}
