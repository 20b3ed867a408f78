using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace TestSupport;

/// <summary>The Bicep CLI from the Azure.Bicep.CommandLine package: compiles a module offline, as azd would.</summary>
public static class BicepCli
{
    private static readonly OncePerKey<JsonNode> Compiled = new();

    private static string Executable => BuildOutput.Value("BicepPath");

    /// <summary>
    /// Compiles <paramref name="file"/> to its ARM template; fails on any error or warning. A file compiled before in this
    /// test run, unchanged, is not compiled again (a compile is a process of its own, seconds of CPU): each caller gets a
    /// copy of the template.
    /// </summary>
    public static async Task<JsonNode> BuildAsync(string file)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(Executable))
        {
            Assert.Skip("The Bicep CLI package here is the linux-x64 one.");
        }

        var key = $"{Path.GetFullPath(file)}\n{Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken)))}";
        return (await Compiled.GetAsync(key, () => CompileAsync(file))).DeepClone();
    }

    private static async Task<JsonNode> CompileAsync(string file)
    {
        var (exitCode, output, diagnostics) = await ChildProcess.RunAsync(Executable, ["build", file, "--stdout"]);

        Assert.True(exitCode == 0 && diagnostics.Trim().Length == 0,
            $"bicep build {Path.GetFileName(file)} exited {exitCode}:\n{diagnostics}");
        return JsonNode.Parse(output)!;
    }
}
