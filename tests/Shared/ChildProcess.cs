using System.Diagnostics;

namespace TestSupport;

/// <summary>
/// A program a test runs as its own process (the AppHost publisher, the Bicep CLI, the deploy hook, the worker): started,
/// awaited within <see cref="TestDeadline"/> (a hang kills it and fails the test), or killed on purpose.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    private ChildProcess(Process process)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The process id, e.g. to send it a signal.</summary>
    public int Id => _process.Id;

    /// <summary>Starts <paramref name="program"/>; <paramref name="configure"/> may change its environment.</summary>
    public static ChildProcess Start(string program, IEnumerable<string> arguments, Action<ProcessStartInfo>? configure = null)
    {
        var startInfo = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        configure?.Invoke(startInfo);
        return new ChildProcess(Process.Start(startInfo)!);
    }

    /// <summary>Runs <paramref name="program"/> to its end and returns what it said.</summary>
    public static async Task<ChildProcessResult> RunAsync(string program, IEnumerable<string> arguments, Action<ProcessStartInfo>? configure = null)
    {
        await using var process = Start(program, arguments, configure);
        return await process.WaitAsync();
    }

    /// <summary>Waits for the exit, within <paramref name="within"/> (by default the test deadline); later, it is killed and the test fails.</summary>
    public async Task<ChildProcessResult> WaitAsync(TimeSpan? within = null)
    {
        using var deadline = TestDeadline.Start();
        if (within is { } bound)
        {
            deadline.CancelAfter(bound);
        }

        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"'{_process.StartInfo.FileName}' did not exit within {within ?? TestDeadline.Timeout}.");
        }

        return new ChildProcessResult(_process.ExitCode, await _stdout, await _stderr);
    }

    /// <summary>Kills the process at once, as SIGKILL would: no shutdown code runs.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}

/// <param name="ExitCode">The process's exit code.</param>
/// <param name="Stdout">What it wrote on standard output.</param>
/// <param name="Stderr">What it wrote on standard error.</param>
public sealed record ChildProcessResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Both streams, for messages and for checks that do not care which stream a line went to.</summary>
    public string Output => Stdout + Stderr;
}
