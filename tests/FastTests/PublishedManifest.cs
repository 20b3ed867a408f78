using System.Text.Json.Nodes;

namespace FastTests;

/// <summary>
/// Runs the AppHost the way azd does — <c>--publisher manifest --output-path …</c> — and reads what it wrote. Publishing
/// starts no resource and probes nothing.
/// </summary>
public sealed class PublishedManifest : IDisposable
{
    private PublishedManifest(string directory, string text)
    {
        Directory = directory;
        Text = text;
        Resources = JsonNode.Parse(text)!["resources"]!.AsObject();
    }

    /// <summary>The folder holding the manifest and the Bicep modules written next to it.</summary>
    public string Directory { get; }

    public string Text { get; }

    public JsonObject Resources { get; }

    public JsonNode Resource(string name) => Resources[name] ?? throw new Xunit.Sdk.XunitException($"The manifest has no '{name}'.");

    public static async Task<PublishedManifest> PublishAsync(params string[] args)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"manifest-{Guid.NewGuid():N}");
        var (exitCode, output, error) = await ChildProcess.RunAsync("dotnet",
            [BuildOutput.Of("AppHost"), "--publisher", "manifest", "--output-path", Path.Combine(directory, "manifest.json"), .. args],
            startInfo =>
            {
                // The manifest must not depend on the machine: drop settings CI exports for its own runs.
                foreach (var key in startInfo.Environment.Keys.Where(k => k.StartsWith("Postgres__", StringComparison.Ordinal)
                             || k.StartsWith("Migrations__", StringComparison.Ordinal)).ToList())
                {
                    startInfo.Environment.Remove(key);
                }
            });
        Assert.True(exitCode == 0, $"Publishing failed ({exitCode}):\n{output}\n{error}");

        return new PublishedManifest(directory, await File.ReadAllTextAsync(Path.Combine(directory, "manifest.json"), TestContext.Current.CancellationToken));
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
