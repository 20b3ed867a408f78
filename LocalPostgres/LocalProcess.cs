using System.Diagnostics;

namespace Aspire.Hosting.LocalPostgres;

/// <summary>Runs a short helper command to its end and fails with what it printed.</summary>
internal static class LocalProcess
{
    public static async Task<string> RunAsync(string command, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{Path.GetFileName(command)}' failed with exit code {process.ExitCode}: {(await error).Trim()}");
        }

        return await output + await error;
    }
}
