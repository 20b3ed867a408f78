using Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MigrationService;
using SafeMigrations.Worker;
using Npgsql;

// The worker runs its command in Main rather than in a BackgroundService: on .NET 10 a BackgroundService's failure
// still ends the process with exit code 0, and the exit code is this program's contract (see ExitCodes).
var (commandLine, exitNow) = MigrationCommandLine.Parse(args, Console.Out, Console.Error);
if (exitNow is { } parseExitCode)
{
    return parseExitCode;
}

// Content root = the program's folder, so appsettings.json is found wherever the worker is started from.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddInMemoryCollection(commandLine);

// --list and --script print their result on stdout, to be piped; their logs go to stderr so they do not mix in.
var requested = builder.Configuration.GetSection(MigrationOptions.SectionName).Get<MigrationOptions>() ?? new();
if (requested.List || requested.Script)
{
    builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
}

if (ConnectionStringProblem(builder.Configuration.GetConnectionString("appdb")) is { } problem)
{
    await Console.Error.WriteLineAsync(problem);
    return ExitCodes.InvalidArguments;
}

// The web app's login (optional): the worker keeps that role and sets its password.
if (WebLogin.Read(builder.Configuration).Problem is { } webLoginProblem)
{
    await Console.Error.WriteLineAsync(webLoginProblem);
    return ExitCodes.InvalidArguments;
}

if (WebConnectionLimitProblem(builder.Configuration[$"{MigrationOptions.SectionName}:{nameof(MigrationLimits.WebConnectionLimit)}"]) is { } limitProblem)
{
    await Console.Error.WriteLineAsync(limitProblem);
    return ExitCodes.InvalidArguments;
}

builder.AddServiceDefaults();
builder.Services.AddOpenTelemetry()
    .WithTracing(tracing => tracing.AddSource(MigrationTelemetry.Name))
    .WithMetrics(metrics => metrics.AddMeter(MigrationTelemetry.Name));

// No retrying execution strategy: a retry after a dropped connection would go on in a new session, without the
// owner role and the limits the run set on its own. The connector waits for the server up front instead.
builder.AddNpgsqlDbContext<AppDbContext>("appdb", settings => settings.DisableRetry = true,
    // A failure surfaces as the run's one error line; EF's own error logs of it are detail. (They also fire for the
    // expected probes of a missing database or history table on a new server.)
    options => options.ConfigureWarnings(w => w.Log(
        (RelationalEventId.CommandError, LogLevel.Debug),
        (RelationalEventId.ConnectionError, LogLevel.Debug),
        // Online migrations run steps outside a transaction on purpose, each safe to run again (SafeMigrations.Online).
        (RelationalEventId.NonTransactionalMigrationOperationWarning, LogLevel.Debug))));
builder.Services.AddMigration<AppDbContext, AppDbSeeder>("appdb");

builder.Services.AddOptions<MigrationOptions>().BindConfiguration(MigrationOptions.SectionName);
builder.Services.AddSingleton(Console.Out);
builder.Services.AddSingleton<MigrationRunner>();

using var host = builder.Build();
await host.StartAsync();
var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
var exitCode = await host.Services.GetRequiredService<MigrationRunner>().RunAsync(stopping);
await host.StopAsync();
return exitCode;

// Says what is wrong with the connection string without repeating it: it holds the password.
static string? ConnectionStringProblem(string? connectionString)
{
    if (string.IsNullOrWhiteSpace(connectionString))
    {
        return "No connection string: set ConnectionStrings__appdb (the AppHost does this for you).";
    }

    try
    {
        _ = new NpgsqlConnectionStringBuilder(connectionString);
        return null;
    }
    catch (ArgumentException e)
    {
        return $"The connection string 'appdb' is not valid: {e.Message}";
    }
}

static string? WebConnectionLimitProblem(string? value) =>
    string.IsNullOrEmpty(value) || (int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var limit) && limit >= -1)
        ? null
        : $"Migrations:WebConnectionLimit must be a whole number of connections, at least -1 (no limit); '{value}' is not.";
