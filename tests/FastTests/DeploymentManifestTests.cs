using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FastTests;

/// <summary>The deployment manifest azd reads, generated for real, and the Bicep modules written next to it.</summary>
public sealed partial class DeploymentManifestTests
{
    // Passed on the command line so the test can prove it ends up nowhere in what is published.
    private const string KnownPassword = "Kn0wn-Secret-Value-4711";

    private static Task<PublishedManifest> PublishAsync(params string[] args) =>
        PublishedManifest.PublishAsync([$"--Parameters:postgres-password={KnownPassword}", .. args]);

    [Fact]
    public async Task Manifest_holds_postgres_appdb_migrations_and_webapp_wired_together()
    {
        using var manifest = await PublishAsync();

        Assert.Equal("container.v0", (string?)manifest.Resource("postgres")["type"]);
        Assert.Equal("docker.io/library/postgres:17", (string?)manifest.Resource("postgres")["image"]);
        Assert.Equal("{postgres.connectionString};Database=appdb", (string?)manifest.Resource("appdb")["connectionString"]);
        // The web app's appdb connection string is its own login (see LeastPrivilegeManifestTests).
        foreach (var (service, appdb) in new[] { ("migrations", "appdb"), ("webapp", "appdb-web") })
        {
            var deployment = manifest.Resource(service)["deployment"]!;
            Assert.Equal("project.v1", (string?)manifest.Resource(service)["type"]);
            Assert.Equal("azure.bicep.v0", (string?)deployment["type"]);
            Assert.Equal($"{{{appdb}.connectionString}}", (string?)deployment["params"]!["appdbConnectionString"]);
            Assert.Equal($"{{{service}.containerImage}}", (string?)deployment["params"]!["containerImage"]);
            Assert.True(File.Exists(Path.Combine(manifest.Directory, (string)deployment["path"]!)), $"{service}'s module is not next to the manifest");
        }
    }

    [Fact]
    public async Task Webapp_has_an_external_http_endpoint_and_its_probes_on_health_and_alive()
    {
        using var manifest = await PublishAsync();

        var webapp = manifest.Resource("webapp");
        Assert.True((bool?)webapp["bindings"]!["http"]!["external"]);
        Assert.Equal("/health", (string?)webapp["deployment"]!["params"]!["readinessProbePath"]);
        Assert.Equal("/alive", (string?)webapp["deployment"]!["params"]!["livenessProbePath"]);

        var template = await BicepCli.BuildAsync(Path.Combine(manifest.Directory, "webapp.module.bicep"));
        var app = Assert.Single(ResourcesOf(template), r => (string?)r["type"] == "Microsoft.App/containerApps");
        Assert.Contains("\"external\": true", app.ToJsonString(Indented));
        // Each probe asks the path the manifest passes for it (the values above), on the app's own port.
        var probes = app["properties"]!["template"]!["containers"]![0]!["probes"]!.AsArray()
            .ToDictionary(p => (string)p!["type"]!, p => ((string?)p!["httpGet"]!["path"], (string?)p["httpGet"]!["port"]));
        Assert.Equal(["Readiness", "Liveness"], probes.Keys);
        Assert.Equal(("[parameters('readinessProbePath')]", "[parameters('targetPort')]"), probes["Readiness"]);
        Assert.Equal(("[parameters('livenessProbePath')]", "[parameters('targetPort')]"), probes["Liveness"]);
    }

    [Fact]
    public async Task Worker_is_published_as_a_manual_job_that_runs_once_not_as_a_container_app()
    {
        using var manifest = await PublishAsync();

        var template = await BicepCli.BuildAsync(Path.Combine(manifest.Directory, "migrations.module.bicep"));

        var resources = ResourcesOf(template);
        var job = Assert.Single(resources);
        Assert.Equal("Microsoft.App/jobs", (string?)job["type"]);
        var configuration = job["properties"]!["configuration"]!;
        Assert.Equal("Manual", (string?)configuration["triggerType"]);
        Assert.Equal(0, (int?)configuration["replicaRetryLimit"]);
        Assert.Equal(1, (int?)configuration["manualTriggerConfig"]!["parallelism"]);
        Assert.Equal(1, (int?)configuration["manualTriggerConfig"]!["replicaCompletionCount"]);
        // The postdeploy hook finds the job by its aspire-resource-name tag, whose value must be "migrations".
        Assert.Equal("[union(parameters('tags'), createObject('aspire-resource-name', 'migrations', 'azd-service-name', 'migrations'))]",
            (string?)job["tags"]);
    }

    [Theory]
    [InlineData("migrations")]
    [InlineData("webapp")]
    public async Task Module_parameters_match_what_the_manifest_passes(string service)
    {
        // "0" (revert all) is the target most likely to be written as a number.
        using var manifest = await PublishAsync("--Migrations:Target=0");
        var deployment = manifest.Resource(service)["deployment"]!;

        var template = await BicepCli.BuildAsync(Path.Combine(manifest.Directory, (string)deployment["path"]!));

        // azd turns the params into a .bicepparam file: an undeclared one fails the deployment, and so does a missing required one.
        var declared = template["parameters"]!.AsObject();
        var passed = deployment["params"]!.AsObject();
        Assert.All(passed, p => Assert.True(declared.ContainsKey(p.Key), $"{service} passes '{p.Key}', which its module does not declare"));
        Assert.All(declared.Where(d => d.Value!["defaultValue"] is null),
            d => Assert.True(passed.ContainsKey(d.Key), $"{service}'s module needs '{d.Key}', which the manifest does not pass"));
        Assert.All(passed, p => Assert.Equal(System.Text.Json.JsonValueKind.String, p.Value!.GetValueKind())); // azd takes strings only
        Assert.Equal("securestring", (string?)declared["appdbConnectionString"]!["type"]);
    }

    [Fact]
    public async Task Secrets_travel_only_as_secret_parameters_never_as_literals()
    {
        using var manifest = await PublishAsync();

        var password = manifest.Resource("postgres-password");
        Assert.Equal("parameter.v0", (string?)password["type"]);
        Assert.True((bool?)password["inputs"]!["value"]!["secret"]);
        foreach (var file in Directory.EnumerateFiles(manifest.Directory))
        {
            Assert.DoesNotContain(KnownPassword, await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
        }

        // Every password in a connection string or environment value is a placeholder.
        var assignments = PasswordAssignment().Matches(manifest.Text);
        Assert.NotEmpty(assignments);
        Assert.All(assignments, m => Assert.StartsWith("{", m.Groups[1].Value));
    }

    [Fact]
    public async Task A_migration_target_set_while_publishing_reaches_the_job()
    {
        using var withTarget = await PublishAsync("--Migrations:Target=InitialSchema");
        using var without = await PublishAsync();

        Assert.Equal("InitialSchema", (string?)withTarget.Resource("migrations")["deployment"]!["params"]!["migrationsTarget"]);
        Assert.Null(without.Resource("migrations")["deployment"]!["params"]!["migrationsTarget"]);
    }

    [Fact]
    public async Task External_mode_has_no_server_and_takes_appdb_as_a_secret_connection_string()
    {
        using var manifest = await PublishAsync("--Postgres:Mode=External");

        Assert.Null(manifest.Resources["postgres"]);
        var appdb = manifest.Resource("appdb");
        Assert.Equal("parameter.v0", (string?)appdb["type"]);
        Assert.True((bool?)appdb["inputs"]!["value"]!["secret"]);
        Assert.Null(appdb["inputs"]!["value"]!["default"]); // no generated or literal value: the operator supplies it
        Assert.Equal("{appdb.connectionString}", (string?)manifest.Resource("migrations")["deployment"]!["params"]!["appdbConnectionString"]);
    }

    [Fact]
    public async Task Local_mode_cannot_be_published()
    {
        var error = await Assert.ThrowsAsync<Xunit.Sdk.TrueException>(() => PublishAsync("--Postgres:Mode=Local"));

        Assert.Contains("cannot be deployed", error.Message);
    }

    private static readonly System.Text.Json.JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static IEnumerable<JsonNode> ResourcesOf(JsonNode template) =>
        template["resources"] switch
        {
            JsonArray array => array.Select(r => r!),
            JsonObject symbolic => symbolic.Select(r => r.Value!), // languageVersion 2.0 templates name their resources
            _ => [],
        };

    [GeneratedRegex(@"Password[=""]+:?\s*""?([^;""]*)", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordAssignment();
}
