using System.Collections.Concurrent;
using System.Net;
using System.Text;
using MigrationService;

namespace IntegrationTests;

/// <summary>What the worker sends to an OpenTelemetry collector (the dashboard, under the AppHost).</summary>
public sealed class WorkerTelemetryTests(PostgresServer server)
{
    [Fact]
    public async Task Worker_exports_a_span_per_run_and_per_context_and_the_migration_metrics()
    {
        var db = await server.NewDatabaseAsync();
        var port = LoopbackPort.Free();
        using var collector = new HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        var received = new ConcurrentDictionary<string, string>();
        var receiving = ReceiveAsync(collector, received);

        var result = await WorkerProcess.Start(db, [], new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{port}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        }).WaitAsync();
        collector.Stop();
        await receiving;

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        // OTLP is protobuf; names travel as plain UTF-8 strings inside it.
        var traces = received.GetValueOrDefault("/v1/traces", "");
        Assert.Contains("migrations", traces);
        Assert.Contains("migrate AppDbContext", traces);
        Assert.Contains("seed AppDbContext", traces);
        var metrics = received.GetValueOrDefault("/v1/metrics", "");
        Assert.Contains("migrations.applied", metrics);
        Assert.Contains("migrations.context.duration", metrics);
    }

    private static async Task ReceiveAsync(HttpListener listener, ConcurrentDictionary<string, string> received)
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
            var path = context.Request.Url!.AbsolutePath;
            var text = Encoding.UTF8.GetString(body.ToArray());
            received.AddOrUpdate(path, text, (_, before) => before + text);
            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }
}
