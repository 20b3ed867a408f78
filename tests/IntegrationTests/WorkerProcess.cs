using System.Diagnostics;
using System.Reflection;

namespace IntegrationTests;

/// <summary>
/// The MigrationService run standalone — as a container CMD, a Kubernetes Job or a CI step runs it — with only a
/// connection string in its environment.
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    private WorkerProcess(Process process)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public int Id => _process.Id;

    /// <summary>The worker's build output, next to this test assembly's configuration (built by <c>dotnet test</c>).</summary>
    private static string WorkerDll
    {
        get
        {
            var configuration = typeof(WorkerProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            var projectDirectory = Path.GetDirectoryName(new Projects.MigrationService().ProjectPath)!;
            return Path.Combine(projectDirectory, "bin", configuration, "net10.0", "MigrationService.dll");
        }
    }

    /// <summary>Starts the worker with <paramref name="args"/>, the connection string and any extra environment.</summary>
    public static WorkerProcess Start(string? connectionString, IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(WorkerDll);
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        // Nothing of the test's own configuration leaks in: only what a standalone deployment would set.
        startInfo.Environment.Remove("ConnectionStrings__appdb");
        startInfo.Environment.Remove("ConnectionStrings__appdb-web");
        startInfo.Environment.Remove("ConnectionStrings__appdb_web");
        startInfo.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        if (connectionString is not null)
        {
            startInfo.Environment["ConnectionStrings__appdb"] = connectionString;
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[key] = value;
        }

        return new WorkerProcess(Process.Start(startInfo)!);
    }

    /// <summary>Runs the worker to its end and returns what it said.</summary>
    public static async Task<WorkerResult> RunAsync(string? connectionString, params string[] args) =>
        await Start(connectionString, args).WaitAsync();

    /// <summary>Waits for the exit, within the test deadline (a hang kills the worker and fails the test).</summary>
    public async Task<WorkerResult> WaitAsync()
    {
        using var deadline = TestGraph.Deadline();
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The worker did not exit within {TestGraph.Timeout}.");
        }

        return new WorkerResult(_process.ExitCode, await _stdout, await _stderr);
    }

    /// <summary>Kills the worker at once, as SIGKILL would: no shutdown code runs.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}

/// <param name="ExitCode">The process's exit code.</param>
/// <param name="Stdout">Results (<c>--list</c>, <c>--script</c>) and, when migrating, the logs.</param>
/// <param name="Stderr">Errors of the command line, and the logs of <c>--list</c> / <c>--script</c>.</param>
public sealed record WorkerResult(int ExitCode, string Stdout, string Stderr)
{
    public string Output => Stdout + Stderr;
}
