using System.Text.Json.Nodes;

namespace TestSupport;

/// <summary>The Bicep CLI from the Azure.Bicep.CommandLine package: compiles a module offline, as azd would.</summary>
public static class BicepCli
{
    private static string Executable => BuildOutput.Value("BicepPath");

    /// <summary>Compiles <paramref name="file"/> to its ARM template; fails on any error or warning.</summary>
    public static async Task<JsonNode> BuildAsync(string file)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(Executable))
        {
            Assert.Skip("The Bicep CLI package here is the linux-x64 one.");
        }

        var (exitCode, output, diagnostics) = await ChildProcess.RunAsync(Executable, ["build", file, "--stdout"]);

        Assert.True(exitCode == 0 && diagnostics.Trim().Length == 0,
            $"bicep build {Path.GetFileName(file)} exited {exitCode}:\n{diagnostics}");
        return JsonNode.Parse(output)!;
    }
}
