using System.Text.Json.Nodes;

namespace FastTests;

/// <summary>
/// Runs the AppHost the way azd does — <c>--publisher manifest --output-path …</c> — and reads what it wrote. Publishing
/// starts no resource and probes nothing.
/// </summary>
/// <remarks>
/// A publish is a process of its own (about 2 s of CPU), and most tests read the same one: each set of arguments is
/// published once per test run and shared, read-only (every read hands out a copy), its folder deleted when the run ends.
/// </remarks>
public sealed class PublishedManifest : IDisposable
{
    private static readonly OncePerKey<PublishedManifest> Published = new();

    private PublishedManifest(string directory, string text)
    {
        Directory = directory;
        Text = text;
        _resources = JsonNode.Parse(text)!["resources"]!.AsObject();
    }

    /// <summary>The folder holding the manifest and the Bicep modules written next to it.</summary>
    public string Directory { get; }

    public string Text { get; }

    /// <summary>The manifest's resources: a copy of its own for each caller.</summary>
    public JsonObject Resources => _resources.DeepClone().AsObject();

    private readonly JsonObject _resources;

    public JsonNode Resource(string name) => _resources[name]?.DeepClone() ?? throw new Xunit.Sdk.XunitException($"The manifest has no '{name}'.");

    /// <summary>The compiled module that <paramref name="resource"/>'s entry (or its <c>deployment</c>) names.</summary>
    public Task<JsonNode> ModuleAsync(string resource) =>
        BicepCli.BuildAsync(Path.Combine(Directory, (string)(Resource(resource)["deployment"] ?? Resource(resource))["path"]!));

    /// <summary>The manifest <paramref name="args"/> publish; published on the first call with them, then shared.</summary>
    public static Task<PublishedManifest> PublishAsync(params string[] args) =>
        Published.GetAsync(string.Join('\n', args), () => PublishNowAsync(args));

    private static async Task<PublishedManifest> PublishNowAsync(string[] args)
    {
        var (directory, result) = await RunPublisherAsync(args);
        Assert.True(result.ExitCode == 0, $"Publishing failed ({result.ExitCode}):\n{result.Output}");

        var manifest = new PublishedManifest(directory, await File.ReadAllTextAsync(Path.Combine(directory, "manifest.json"), TestContext.Current.CancellationToken));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => manifest.Delete();
        return manifest;
    }

    /// <summary>Runs the publisher with settings it must refuse; returns what it said. Asserts that it wrote no manifest.</summary>
    public static async Task<ChildProcessResult> RefusedAsync(params string[] args)
    {
        var (directory, result) = await RunPublisherAsync(args);
        try
        {
            Assert.False(File.Exists(Path.Combine(directory, "manifest.json")), "A refused publish wrote a manifest.");
            return result;
        }
        finally
        {
            if (System.IO.Directory.Exists(directory))
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static async Task<(string Directory, ChildProcessResult Result)> RunPublisherAsync(string[] args)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"manifest-{Guid.NewGuid():N}");
        var result = await ChildProcess.RunAsync("dotnet",
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
        return (directory, result);
    }

    /// <summary>Nothing to do: the manifest is shared by the run's tests and deleted when the run ends.</summary>
    public void Dispose()
    {
    }

    private void Delete()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
