using System.Diagnostics;

namespace LocalPostgres;

/// <summary>Runs a short helper program (<c>postgres --version</c>, <c>initdb</c>, <c>chown</c>) to its end.</summary>
internal static class LocalProcess
{
    /// <summary>Runs <paramref name="command"/> and returns its standard output.</summary>
    /// <exception cref="InvalidOperationException">It exited non-zero; the message holds its first error line.</exception>
    /// <exception cref="System.ComponentModel.Win32Exception">It could not be started (not installed).</exception>
    public static async Task<string> RunAsync(string command, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException(
                $"'{Path.GetFileName(command)}' failed with exit code {process.ExitCode}: {(await error).Trim()}");
    }
}
