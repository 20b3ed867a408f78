using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace SafeMigrations.Worker;

/// <summary>
/// The worker program's builder: a generic host builder (<see cref="IHostApplicationBuilder"/>, so a solution's own
/// service defaults apply) that knows the contexts to migrate, and runs them (<see cref="RunAsync"/>).
/// </summary>
public sealed class MigrationWorkerBuilder : IHostApplicationBuilder
{
    private readonly HostApplicationBuilder _host;
    private readonly int? _exitNow;
    private readonly List<MigratedContext> _contexts = [];

    internal MigrationWorkerBuilder(string[] args)
    {
        (var commandLine, _exitNow) = MigrationCommandLine.Parse(args, Console.Out, Console.Error);
        // Content root = the program's folder, so its appsettings.json is found wherever the worker is started from.
        _host = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        _host.Configuration.AddInMemoryCollection(commandLine);
        // Exported wherever the solution's own telemetry goes (its service defaults add the exporters).
        _host.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddSource(MigrationTelemetry.Name))
            .WithMetrics(metrics => metrics.AddMeter(MigrationTelemetry.Name));
    }

    /// <inheritdoc />
    public IDictionary<object, object> Properties => ((IHostApplicationBuilder)_host).Properties;

    /// <inheritdoc />
    public IConfigurationManager Configuration => _host.Configuration;

    /// <inheritdoc />
    public IHostEnvironment Environment => _host.Environment;

    /// <inheritdoc />
    public ILoggingBuilder Logging => _host.Logging;

    /// <inheritdoc />
    public IMetricsBuilder Metrics => _host.Metrics;

    /// <inheritdoc />
    public IServiceCollection Services => _host.Services;

    /// <inheritdoc />
    public void ConfigureContainer<TContainerBuilder>(IServiceProviderFactory<TContainerBuilder> factory, Action<TContainerBuilder>? configure = null)
        where TContainerBuilder : notnull => _host.ConfigureContainer(factory, configure);

    /// <summary>
    /// Migrates <typeparamref name="TContext"/> on the database of <c>ConnectionStrings:<paramref name="connectionName"/></c>
    /// (the admin's login: it may create the database and its roles), after the contexts registered before it. The
    /// context is registered with Aspire's Npgsql EF Core integration, without retries (a retry on a new connection
    /// would go on without the migration lock and the session's limits).
    /// </summary>
    /// <typeparam name="TContext">The context; its migrations assembly is the one its options name.</typeparam>
    /// <param name="connectionName">The connection string's name, as the AppHost's database resource is named.</param>
    /// <param name="configureOptions">
    /// More options of the context, after the worker's: a history table of its own for a second context on one database,
    /// say (<c>o =&gt; o.UseNpgsql(npgsql =&gt; npgsql.MigrationsHistoryTable("__OrdersMigrationsHistory"))</c>).
    /// </param>
    /// <returns>A builder for the context's seed and web login.</returns>
    /// <exception cref="ArgumentException">The context is registered already.</exception>
    public MigrationContextBuilder<TContext> AddContext<TContext>(string connectionName, Action<DbContextOptionsBuilder>? configureOptions = null)
        where TContext : DbContext
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);
        if (_contexts.Any(c => c.ContextType == typeof(TContext)))
        {
            throw new ArgumentException($"{typeof(TContext).Name} is registered already.", nameof(TContext));
        }

        var context = new MigratedContext(typeof(TContext), connectionName);
        _contexts.Add(context);
        _host.AddNpgsqlDbContext<TContext>(connectionName, settings => settings.DisableRetry = true,
            // A failure surfaces as the run's one error line; EF's own error logs of it are detail. (They also fire for the
            // expected probes of a missing database or history table on a new server.)
            options =>
            {
                options.ConfigureWarnings(w => w.Log(
                    (RelationalEventId.CommandError, LogLevel.Debug),
                    (RelationalEventId.ConnectionError, LogLevel.Debug),
                    // Online migrations run steps outside a transaction on purpose, each safe to run again (SafeMigrations.Online).
                    (RelationalEventId.NonTransactionalMigrationOperationWarning, LogLevel.Debug)));
                // Each migration's checksum is written with its history row, in its transaction.
                ChecksummedHistoryRepository.Use(options);
                configureOptions?.Invoke(options);
            });
        return new MigrationContextBuilder<TContext>(context, _host.Services);
    }

    /// <summary>
    /// Runs the command — migrate (the default), <c>--target</c>, <c>--list</c>, <c>--script</c>, <c>--plan</c>, <c>--drift</c> or <c>--repair</c> —
    /// over the registered contexts, in registration order, and returns the process's exit code. A failure in one context
    /// stops the run: later contexts are not touched, and the one error line names the failure.
    /// </summary>
    /// <returns>The exit code (<see cref="ExitCodes"/>).</returns>
    /// <exception cref="InvalidOperationException">No context is registered.</exception>
    public async Task<int> RunAsync()
    {
        // The command runs here rather than in a BackgroundService: on .NET 10 a BackgroundService's failure still ends the
        // process with exit code 0, and the exit code is the worker's contract.
        if (_exitNow is { } exitNow)
        {
            return exitNow;
        }

        if (_contexts.Count == 0)
        {
            throw new InvalidOperationException("No context to migrate: register one with AddContext<TContext>(connectionName).");
        }

        // Settings that cannot work: one plain line on stderr before anything starts, never a connection string.
        var (options, problem) = MigrationOptions.Bind(_host.Configuration);
        problem ??= _contexts.Select(c => WorkerConnectionStrings.Problem(_host.Configuration, c.ConnectionName)
            ?? WebLogin.Read(_host.Configuration, c).Problem).FirstOrDefault(p => p is not null);
        if (options is null || problem is not null)
        {
            await Console.Error.WriteLineAsync(problem);
            return ExitCodes.InvalidArguments;
        }

        // --list, --script, --plan, --drift and --bootstrap-sql print their result on stdout, to be piped; their logs go to stderr so they do not mix in.
        if (options.List || options.Script || options.Plan || options.Drift.Check || options.BootstrapSql)
        {
            _host.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        }

        _host.Services.AddSingleton(options);
        _host.Services.AddSingleton<IReadOnlyList<MigratedContext>>(_contexts);
        _host.Services.AddSingleton<DatabaseConnector>().AddSingleton<LockTimeoutRetry>().AddSingleton<DatabaseRoles>()
            .AddSingleton<MigrationGuards>().AddSingleton<FastPath>();

        using var host = _host.Build();
        await host.StartAsync();
        var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var exitCode = await RunCommandAsync(host.Services, options, stopping);
        await host.StopAsync();
        return exitCode;
    }

    /// <summary>The command, and every failure turned into its exit code and one error line.</summary>
    private async Task<int> RunCommandAsync(IServiceProvider services, MigrationOptions options, CancellationToken cancellationToken)
    {
        var logger = services.GetRequiredService<ILogger<MigrationWorkerBuilder>>();
        var contexts = _contexts.Select(c => ActivatorUtilities.CreateInstance<ContextMigration>(services, c)).ToList();
        using var activity = MigrationTelemetry.Source.StartActivity("migrations");
        ContextMigration? current = null;
        try
        {
            if (options.BootstrapSql)
            {
                // Connects to nothing: the databases and roles are those the configuration names.
                await Console.Out.WriteAsync(SafeMigrations.Worker.BootstrapSql.For(contexts.Select(c => c.BootstrapTarget())));
                return ExitCodes.Success;
            }

            var selected = TargetSelection.Select(contexts, options);
            if (options.Plan)
            {
                // Changes nothing; printed once every context was read, like --list.
                var plans = new List<ContextPlan>();
                foreach (var (context, _) in selected)
                {
                    current = context;
                    plans.Add(await context.PlanAsync(cancellationToken));
                }

                await Console.Out.WriteAsync(options.Json ? PlanText.Json(plans, options.MaxLockedTime) : PlanText.Text(plans, options.MaxLockedTime));
                return ExitCodes.Success;
            }

            if (options.Drift.Check)
            {
                // Changes nothing; printed once every context was read, like --list.
                var reports = new List<DriftReport>();
                foreach (var (context, _) in selected)
                {
                    current = context;
                    reports.Add(await context.DetectDriftAsync(cancellationToken));
                }

                await Console.Out.WriteAsync(DriftReport.Text(reports));
                return reports.Any(r => r.Differences.Count > 0) ? ExitCodes.DriftFound : ExitCodes.Success;
            }

            if (options.List || options.Script)
            {
                // Changes nothing; printed once every context was read, so a failure prints no partial result.
                var listing = new MigrationListing();
                foreach (var (context, _) in selected)
                {
                    current = context;
                    if (options.List)
                    {
                        listing.Add(context.Name, context.ConnectionName, await context.ReadStatusAsync(cancellationToken));
                    }
                    else
                    {
                        listing.AddScript(context.Name, await context.GenerateScriptAsync(cancellationToken));
                    }
                }

                await Console.Out.WriteAsync(options.Script ? listing.Script() : options.Json ? listing.Json() : listing.Text());
            }
            else
            {
                foreach (var (context, targetId) in selected)
                {
                    current = context;
                    await context.MigrateAsync(targetId, cancellationToken);
                }
            }

            return ExitCodes.Success;
        }
        catch (MigrationWorkerException e)
        {
            // Already the whole story: what was refused or what failed, and the way out.
            return Fail(e.Message, e.ExitCode, e);
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
        {
            return Fail("Stopped before finishing; a migration in progress was rolled back. Run again to complete.", ExitCodes.MigrationFailed, e);
        }
        catch (Exception e)
        {
            return Fail($"Migration failed: {e.Message.TrimEnd('.')}. Migrations that completed before it stay applied; the failed one " +
                "was rolled back. Fix the cause and run again.", ExitCodes.MigrationFailed, e);
        }

        int Fail(string message, int exitCode, Exception exception)
        {
            // With several contexts the line says which one failed (the others before it are done, those after untouched).
            var line = _contexts.Count > 1 && current is not null && !message.StartsWith(current.Name + ":", StringComparison.Ordinal)
                ? $"{current.Name}: {message}"
                : message;
            logger.LogError("{Message}", line);
            activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
            activity?.SetTag("process.exit.code", exitCode);
            return exitCode;
        }
    }
}
