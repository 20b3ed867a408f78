using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;

namespace FastTests;

/// <summary>The Bicep CLI from the Azure.Bicep.CommandLine package: compiles a module offline, as azd would.</summary>
public static class BicepCli
{
    private static string Executable =>
        typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value!;

    /// <summary>Compiles <paramref name="file"/> to its ARM template; fails on any error or warning.</summary>
    public static async Task<JsonNode> BuildAsync(string file)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(Executable))
        {
            Assert.Skip("The Bicep CLI package here is the linux-x64 one.");
        }

        var startInfo = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "build", file, "--stdout" })
        {
            startInfo.ArgumentList.Add(arg);
        }

        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var diagnostics = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(deadline.Token);

        Assert.True(process.ExitCode == 0 && (await diagnostics).Trim().Length == 0,
            $"bicep build {Path.GetFileName(file)} exited {process.ExitCode}:\n{await diagnostics}");
        return JsonNode.Parse(await output)!;
    }
}
