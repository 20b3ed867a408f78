using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The cross-cutting setup every service of the solution shares: OpenTelemetry, health checks,
/// service discovery and HTTP resilience. Each service calls <see cref="AddServiceDefaults{TBuilder}"/> once.
/// </summary>
public static class Extensions
{
    /// <summary>Readiness: every health check must pass before the service takes traffic.</summary>
    public const string HealthEndpointPath = "/health";

    /// <summary>Liveness: only checks tagged <see cref="LiveTag"/> run; the process answers.</summary>
    public const string AlivenessEndpointPath = "/alive";

    /// <summary>Tag for health checks that belong to liveness rather than readiness.</summary>
    public const string LiveTag = "live";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation())
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                // Probes hit the health endpoints every few seconds; tracing them only buries real requests.
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context =>
                    !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                    && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath))
                .AddHttpClientInstrumentation());

        // The AppHost (and any collector in the cloud) announces itself through this variable.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>Default for <see cref="HealthCheckTimeoutKey"/>.</summary>
    public static readonly TimeSpan DefaultHealthCheckTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long one health check may run before it counts as failed (a <c>TimeSpan</c>, default 3 s). Applies to every
    /// check that sets no timeout of its own, including those integrations register (Aspire's DbContext check), so a
    /// probe gets its answer in seconds when a dependency hangs.
    /// </summary>
    public const string HealthCheckTimeoutKey = "HealthChecks:Timeout";

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);

        var timeout = builder.Configuration.GetValue(HealthCheckTimeoutKey, DefaultHealthCheckTimeout);
        // PostConfigure: runs after every registration, whoever added it.
        builder.Services.PostConfigure<HealthCheckServiceOptions>(options =>
        {
            foreach (var registration in options.Registrations.Where(r => r.Timeout == Timeout.InfiniteTimeSpan))
            {
                registration.Timeout = timeout;
            }
        });

        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (ready) and <c>/alive</c> (live) in every environment, because cloud probes need them.
    /// Outside Development they answer only "Healthy", "Degraded" or "Unhealthy", so nothing about the system leaks;
    /// in Development they add each check's name, status and description as JSON (never exception messages). Neither is
    /// rate limited.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        var writeDetails = app.Environment.IsDevelopment();
        // Probes are never rate limited: a throttled probe would take a healthy replica out of service.
        app.MapHealthChecks(HealthEndpointPath, HealthEndpointOptions(check => true, writeDetails)).DisableRateLimiting();
        app.MapHealthChecks(AlivenessEndpointPath, HealthEndpointOptions(check => check.Tags.Contains(LiveTag), writeDetails))
            .DisableRateLimiting();

        return app;
    }

    private static HealthCheckOptions HealthEndpointOptions(Func<HealthCheckRegistration, bool> predicate, bool writeDetails)
    {
        var options = new HealthCheckOptions { Predicate = predicate };
        if (writeDetails)
        {
            options.ResponseWriter = WriteDetailsAsync;
        }

        return options;
    }

    /// <summary>What a failed check shows instead of its description when an exception caused the failure.</summary>
    public const string ExceptionDescription = "Failed with an error; the service's logs have the details.";

    // A check's own description, unless an exception caused the result: then the description is often the exception's
    // message (the health service, and integrations' checks, put it there), which can carry a host, port or user name.
    private static Task WriteDetailsAsync(HttpContext context, HealthReport report) =>
        context.Response.WriteAsJsonAsync(new
        {
            Status = report.Status.ToString(),
            Checks = report.Entries.Select(entry => new
            {
                Name = entry.Key,
                Status = entry.Value.Status.ToString(),
                Description = entry.Value.Exception is null ? entry.Value.Description : ExceptionDescription,
            }),
        });
}
