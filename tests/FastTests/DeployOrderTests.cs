using System.Reflection;
using System.Text.Json.Nodes;

namespace FastTests;

/// <summary>
/// Why a new web app revision cannot serve an unmigrated schema, shown over what a deployment is made of: each replica
/// of a new revision runs the worker from the web app's own image as an init container, so the web container — and with
/// it readiness and traffic — starts only after the migration succeeded.
/// </summary>
public sealed class DeployOrderTests
{
    [Fact]
    public async Task Every_new_revision_runs_the_worker_from_its_own_image_before_the_web_app_starts()
    {
        using var manifest = await PublishedManifest.PublishAsync();
        var parameters = manifest.Resource("webapp")["deployment"]!["params"]!;

        var template = await manifest.ModuleAsync("webapp");

        // azd fills containerImage with the image it just built from the web app (which carries the worker, see below).
        Assert.Equal("{webapp.containerImage}", (string?)parameters["containerImage"]);
        var app = ArmTemplate.Resources(template).Single();
        var revision = app["properties"]!["template"]!;
        var init = Assert.Single(revision["initContainers"]!.AsArray())!;
        var web = Assert.Single(revision["containers"]!.AsArray())!;
        Assert.Equal("migrations", (string?)init["name"]);
        Assert.Equal("[parameters('containerImage')]", (string?)init["image"]);
        Assert.Equal((string?)web["image"], (string?)init["image"]);
        Assert.Equal(["/app/migrator/MigrationService"], init["command"]!.AsArray().Select(c => (string)c!));
        Assert.Null(init["args"]); // no target: to the latest migration (and the seed of a new database)
        Assert.Equal(["ConnectionStrings__appdb", "ConnectionStrings__appdb-web", "Migrations__WebConnectionLimit"],
            init["env"]!.AsArray().Select(e => (string)e!["name"]!));
        // One revision at a time: the previous one keeps all traffic until the new one is ready.
        Assert.Equal("Single", (string?)app["properties"]!["configuration"]!["activeRevisionsMode"]);
        Assert.Contains(web["probes"]!.AsArray(), p => (string?)p!["type"] == "Readiness");
        // Within the connection budget of the default server (docs/deploy.md).
        Assert.Equal(("1", "[parameters('maxReplicas')]"), (revision["scale"]!["minReplicas"]!.ToJsonString(), (string?)revision["scale"]!["maxReplicas"]));
        Assert.Equal(2, (int?)template["parameters"]!["maxReplicas"]!["defaultValue"]);
    }

    [Fact]
    public async Task The_web_roles_connection_limit_is_both_revisions_full_pools_and_the_web_app_gets_that_pool_size()
    {
        using var manifest = await PublishedManifest.PublishAsync();
        var template = await manifest.ModuleAsync("webapp");
        var revision = ArmTemplate.Resources(template).Single()["properties"]!["template"]!;
        string Value(JsonNode container, string name) =>
            (string)container["env"]!.AsArray().Single(e => (string?)e!["name"] == name)!["value"]!;

        // Two revisions side by side during a rollout, each at maxReplicas with full pools (docs/deploy.md, connection budget).
        var limit = Value(revision["initContainers"]![0]!, "Migrations__WebConnectionLimit");
        Assert.Equal("[string(variables('webConnectionLimit'))]", limit);
        Assert.Equal("[mul(mul(2, parameters('maxReplicas')), parameters('databaseMaxPoolSize'))]", (string?)template["variables"]!["webConnectionLimit"]);
        Assert.Equal("[string(parameters('databaseMaxPoolSize'))]", Value(revision["containers"]![0]!, "Database__MaxPoolSize"));
        // The defaults: 2 × 2 × 5 = 20 of the 35 connections a Standard_B1ms server admits.
        Assert.Equal(20, 2 * (int)template["parameters"]!["maxReplicas"]!["defaultValue"]! * (int)template["parameters"]!["databaseMaxPoolSize"]!["defaultValue"]!);
    }

    [Fact]
    public async Task The_web_apps_publish_output_carries_the_worker_the_init_container_runs()
    {
        var root = Path.GetFullPath(Path.Combine(Projects.AppHost.ProjectPath, ".."));
        var output = Path.Combine(Path.GetTempPath(), $"webapp-publish-{Guid.NewGuid():N}");
        var configuration = typeof(DeployOrderTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        try
        {
            // What azd's PublishContainer layers into the image is this folder (it publishes with a runtime identifier too).
            var publish = await ChildProcess.RunAsync("dotnet",
                ["publish", Path.Combine(root, "WebApp", "WebApp.csproj"), "--no-build", "-c", configuration, "-o", output]);
            Assert.True(publish.ExitCode == 0, publish.Output);

            var worker = await ChildProcess.RunAsync(Path.Combine(output, "migrator", "MigrationService"), ["--help"],
                startInfo => startInfo.WorkingDirectory = output);

            Assert.Equal(0, worker.ExitCode);
            Assert.StartsWith("Description:\n  Applies the EF Core migrations", worker.Stdout);
            // Its own settings, next to it (its content root is its own folder), not the web app's.
            Assert.Contains("\"CommandTimeout\"", await File.ReadAllTextAsync(Path.Combine(output, "migrator", "appsettings.json"), TestContext.Current.CancellationToken));
            // The web app itself does not load it.
            Assert.DoesNotContain("MigrationService", await File.ReadAllTextAsync(Path.Combine(output, "WebApp.deps.json"), TestContext.Current.CancellationToken));
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }
}
