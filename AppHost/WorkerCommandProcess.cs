using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AppHost;

/// <summary>What one run of the worker for a command ended with.</summary>
/// <param name="ExitCode">The worker's exit code (docs/worker.md).</param>
/// <param name="Output">What it printed on stdout besides its logs: the result of <c>--list</c> and <c>--script</c>.</param>
/// <param name="FailureLine">The worker's one error line (its log prefix removed), or a pointer to the logs when it printed none.</param>
internal sealed record WorkerCommandOutcome(int ExitCode, string Output, string FailureLine);

/// <summary>
/// Runs the worker project once for a command, the way the orchestrator launches the resource (<c>dotnet run --no-build</c>
/// with the resource's own environment), and streams every line it prints into the resource's console logs.
/// </summary>
/// <remarks>
/// Not a restart of the resource: a restarted resource waits for its dependencies again, keeps no output of earlier runs
/// to return, and a second start kills a run in flight. Aspire's <c>WithProcessCommand</c> (experimental) would start the
/// process, but logs each line at Debug and publishes no state.
/// </remarks>
internal static partial class WorkerCommandProcess
{
    public static async Task<WorkerCommandOutcome> RunAsync(ProjectResource worker, IReadOnlyList<string> arguments, ExecuteCommandContext context)
    {
        // The AppHost stopping ends the command's worker too, rather than leaving it behind.
        var stopping = context.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, stopping);
        var cancellationToken = cancellation.Token;

        var start = await StartInfoAsync(worker, arguments, context, cancellationToken);
        context.Logger.LogInformation("Running the worker: {Arguments}", arguments.Count == 0 ? "(migrate to latest)" : string.Join(' ', arguments));
        using var process = Process.Start(start) ?? throw new InvalidOperationException("The worker could not be started.");
        var lines = new WorkerLines(context.Logger);
        var pumps = Task.WhenAll(lines.ReadAsync(process.StandardOutput, isError: false), lines.ReadAsync(process.StandardError, isError: true));
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Safe to kill: each migration is one transaction, and the next run completes the job (docs/worker.md).
            process.Kill(entireProcessTree: true);
            throw;
        }

        await pumps;
        context.Logger.LogInformation("The worker exited with code {ExitCode}.", process.ExitCode);
        return new WorkerCommandOutcome(process.ExitCode, lines.Output,
            lines.FailureLine ?? $"The worker exited with code {process.ExitCode}; see the console logs of '{worker.Name}'.");
    }

    private static async Task<ProcessStartInfo> StartInfoAsync(ProjectResource worker, IReadOnlyList<string> arguments,
        ExecuteCommandContext context, CancellationToken cancellationToken)
    {
        // The environment the resource was started with: its connection string, telemetry (so spans and logs show under the
        // resource) and console settings.
        var configuration = await ExecutionConfigurationBuilder.Create(worker).WithEnvironmentVariablesConfig()
            .BuildAsync(context.Services.GetRequiredService<DistributedApplicationExecutionContext>(), context.Logger, cancellationToken);
        if (configuration.Exception is { } problem)
        {
            throw new InvalidOperationException($"The environment of '{worker.Name}' could not be resolved: {problem.Message}");
        }

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in configuration.EnvironmentVariables)
        {
            start.Environment[key] = value;
        }

        // The command says what to do: no Migrations:* from the AppHost's configuration (--Migrations:Target) or from the
        // environment it was started in may override it.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Migrations__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        // One line per log entry, uncoloured, so each can be told apart ("fail: Category[0] message") and logged at its level.
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        start.Environment["Logging__Console__FormatterOptions__ColorBehavior"] = "Disabled";

        string[] launch = ["run", "--project", worker.GetProjectMetadata().ProjectPath, "--no-build", "--no-launch-profile"];
        if (typeof(WorkerCommandProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>() is { } build)
        {
            launch = [.. launch, "--configuration", build.Configuration];
        }

        foreach (var argument in (string[])[.. launch, "--", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>Sorts the worker's lines into the resource's logs, its output, and its failure line.</summary>
    private sealed partial class WorkerLines(ILogger logger)
    {
        private readonly Lock _lock = new();
        private readonly List<string> _output = [];
        private string? _lastErrorEntry;
        private string? _firstPlainError;

        public string Output
        {
            get
            {
                lock (_lock)
                {
                    return string.Concat(_output.Select(line => line + "\n"));
                }
            }
        }

        /// <summary>The last error the worker logged; else the first line it wrote to stderr unformatted (argument errors).</summary>
        public string? FailureLine => _lastErrorEntry ?? _firstPlainError;

        public async Task ReadAsync(StreamReader reader, bool isError)
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                var entry = LogEntry().Match(line);
                var level = entry.Success ? LevelOf(entry.Groups["level"].Value) : isError ? LogLevel.Error : LogLevel.Information;
                logger.Log(level, "{Line}", line);
                lock (_lock)
                {
                    if (entry.Success && level >= LogLevel.Error)
                    {
                        _lastErrorEntry = entry.Groups["message"].Value;
                    }
                    else if (!entry.Success && isError)
                    {
                        _firstPlainError ??= line;
                    }
                    else if (!entry.Success)
                    {
                        _output.Add(line);
                    }
                }
            }
        }

        private static LogLevel LevelOf(string level) => level switch
        {
            "fail" or "crit" => LogLevel.Error,
            "warn" => LogLevel.Warning,
            _ => LogLevel.Information,
        };

        // The console logger's simple format on one line: "info: MigrationService.MigrationRunner[0] Message".
        [GeneratedRegex(@"^(?<level>trce|dbug|info|warn|fail|crit): \S+\[\d+\] (?<message>.*)$")]
        private static partial Regex LogEntry();
    }
}
