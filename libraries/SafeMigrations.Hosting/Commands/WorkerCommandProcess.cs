using System.Diagnostics;
using System.Reflection;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SafeMigrations.Hosting;

/// <summary>What one run of the worker for a command ended with.</summary>
/// <param name="ExitCode">The worker's exit code.</param>
/// <param name="Output">What it printed on stdout besides its logs: the result of <c>--list</c> and <c>--script</c>.</param>
/// <param name="FailureLine">The worker's one failure line (its last error), or a pointer to the logs when it printed none.</param>
internal sealed record WorkerCommandOutcome(int ExitCode, string Output, string FailureLine);

/// <summary>
/// Runs the worker project once for a command, the way the orchestrator launches the resource (<c>dotnet run --no-build</c>
/// with the resource's own environment), and streams every entry it logs into the resource's console logs, at its level.
/// </summary>
/// <remarks>
/// Not a restart of the resource: a restarted resource waits for its dependencies again, keeps no output of earlier runs
/// to return, and a second start kills a run in flight. Aspire's <c>WithProcessCommand</c> (experimental) would start the
/// process, but logs each line at Debug and publishes no state.
/// </remarks>
internal static class WorkerCommandProcess
{
    public static async Task<WorkerCommandOutcome> RunAsync(ProjectResource worker, IReadOnlyList<string> arguments, ILogger logger,
        IServiceProvider services, CancellationToken cancellationToken)
    {
        // The AppHost stopping ends the command's worker too, rather than leaving it behind.
        var stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping);
        cancellationToken = cancellation.Token;

        var start = await StartInfoAsync(worker, arguments, logger, services, cancellationToken);
        logger.LogInformation("Running the worker: {Arguments}", arguments.Count == 0 ? "(migrate to latest)" : string.Join(' ', arguments));
        using var process = Process.Start(start) ?? throw new InvalidOperationException("The worker could not be started.");
        var lines = new WorkerLines(logger);
        var pumps = Task.WhenAll(lines.ReadAsync(process.StandardOutput, isError: false), lines.ReadAsync(process.StandardError, isError: true));
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Safe to kill: each migration is one transaction, and the next run completes the job.
            process.Kill(entireProcessTree: true);
            throw;
        }

        await pumps;
        logger.LogInformation("The worker exited with code {ExitCode}.", process.ExitCode);
        return new WorkerCommandOutcome(process.ExitCode, lines.Output,
            lines.FailureLine ?? $"The worker exited with code {process.ExitCode}; see the console logs of '{worker.Name}'.");
    }

    private static async Task<ProcessStartInfo> StartInfoAsync(ProjectResource worker, IReadOnlyList<string> arguments, ILogger logger,
        IServiceProvider services, CancellationToken cancellationToken)
    {
        // The environment the resource was started with: its connection strings, telemetry (so spans and logs show under
        // the resource) and console settings.
        var configuration = await ExecutionConfigurationBuilder.Create(worker).WithEnvironmentVariablesConfig()
            .BuildAsync(services.GetRequiredService<DistributedApplicationExecutionContext>(), logger, cancellationToken);
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

        // One JSON object per log entry (the console logger's own JSON formatter): its level and message are read, not
        // guessed. Replacing Aspire's LOGGING__CONSOLE__FORMATTERNAME=simple: configuration keys ignore case, the
        // environment does not.
        const string formatter = "Logging__Console__FormatterName";
        foreach (var key in start.Environment.Keys.Where(k => k.Equals(formatter, StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment[formatter] = "json";

        string[] launch = ["run", "--project", worker.GetProjectMetadata().ProjectPath, "--no-build", "--no-launch-profile"];
        if (Assembly.GetEntryAssembly()?.GetCustomAttribute<AssemblyConfigurationAttribute>() is { } build)
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
    private sealed class WorkerLines(ILogger logger)
    {
        private readonly Lock _lock = new();
        private readonly List<string> _output = [];
        private string? _lastError;
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

        /// <summary>The worker's last error; else the first line it wrote to stderr outside its logs (argument errors).</summary>
        public string? FailureLine
        {
            get
            {
                lock (_lock)
                {
                    return _lastError ?? _firstPlainError;
                }
            }
        }

        public async Task ReadAsync(StreamReader reader, bool isError)
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                if (WorkerLogEntry.Parse(line) is { } entry)
                {
                    logger.Log(entry.Level, "{Line}", entry.ToText());
                    if (entry.Level >= LogLevel.Error)
                    {
                        lock (_lock)
                        {
                            _lastError = entry.Message;
                        }
                    }

                    continue;
                }

                logger.Log(isError ? LogLevel.Error : LogLevel.Information, "{Line}", line);
                lock (_lock)
                {
                    if (isError)
                    {
                        _firstPlainError ??= line;
                    }
                    else
                    {
                        _output.Add(line);
                    }
                }
            }
        }
    }
}
