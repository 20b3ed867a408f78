using System.Diagnostics;
using System.Reflection;
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
        var configuration = typeof(PublishedManifest).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        // The generated metadata names the AppHost's folder.
        var appHost = Path.Combine(Projects.AppHost.ProjectPath, "bin", configuration, "net10.0", "AppHost.dll");

        var startInfo = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { appHost, "--publisher", "manifest", "--output-path", Path.Combine(directory, "manifest.json") }.Concat(args))
        {
            startInfo.ArgumentList.Add(arg);
        }

        // The manifest must not depend on the machine: drop settings CI exports for its own runs.
        foreach (var key in startInfo.Environment.Keys.Where(k => k.StartsWith("Postgres__", StringComparison.Ordinal) || k.StartsWith("Migrations__", StringComparison.Ordinal)).ToList())
        {
            startInfo.Environment.Remove(key);
        }

        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(deadline.Token);
        Assert.True(process.ExitCode == 0, $"Publishing failed ({process.ExitCode}):\n{await output}\n{await error}");

        return new PublishedManifest(directory, await File.ReadAllTextAsync(Path.Combine(directory, "manifest.json")));
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
