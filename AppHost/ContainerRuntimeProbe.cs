using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

/// <summary>Asks the container engine Aspire would use whether it answers.</summary>
public static class ContainerRuntimeProbe
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>The runtime's command, chosen as Aspire chooses it: configuration, else <c>docker</c>.</summary>
    public static string RuntimeName(IConfiguration configuration) =>
        configuration["DcpPublisher:ContainerRuntime"] is { Length: > 0 } configured ? configured
        : configuration["ASPIRE_CONTAINER_RUNTIME"] is { Length: > 0 } current ? current
        : configuration["DOTNET_ASPIRE_CONTAINER_RUNTIME"] is { Length: > 0 } legacy ? legacy
        : "docker";

    /// <summary>Null when <c>{runtime} info</c> succeeds; otherwise why not, in a few words.</summary>
    public static string? Problem(string runtime)
    {
        try
        {
            using var info = Process.Start(new ProcessStartInfo(runtime, "info")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            _ = info.StandardOutput.ReadToEndAsync(); // drained so the engine never blocks on a full pipe
            var error = info.StandardError.ReadToEndAsync();
            if (!info.WaitForExit(Patience))
            {
                info.Kill(entireProcessTree: true);
                return $"'{runtime} info' did not answer within {Patience.TotalSeconds:0} s";
            }

            return info.ExitCode == 0 ? null : $"'{runtime} info' failed ({FirstLine(error.Result)})";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return $"'{runtime}' is not installed";
        }
    }

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no output";
}
