using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FastTests;

/// <summary>The deployment manifest azd reads, generated for real, and the Bicep modules written next to it.</summary>
public sealed partial class DeploymentManifestTests
{
    // Passed on the command line so the test can prove they end up nowhere in what is published.
    private const string KnownPassword = "Kn0wn-Secret-Value-4711";
    private const string KnownAdmin = "knownadminlogin";

    private static Task<PublishedManifest> PublishAsync(params string[] args) =>
        PublishedManifest.PublishAsync([$"--Parameters:postgres-password={KnownPassword}", $"--Parameters:postgres-admin={KnownAdmin}", .. args]);

    [Fact]
    public async Task By_default_postgres_is_Azure_Database_for_PostgreSQL_provisioned_by_a_module_and_no_container()
    {
        using var manifest = await PublishAsync();

        var postgres = manifest.Resource("postgres");
        Assert.Equal("azure.bicep.v0", (string?)postgres["type"]);
        Assert.Equal("postgres.module.bicep", (string?)postgres["path"]);
        Assert.True(File.Exists(Path.Combine(manifest.Directory, "postgres.module.bicep")));
        Assert.Equal("Host={postgres.outputs.hostName};Port=5432;Username={postgres-admin.value};Password={postgres-password.value};SSL Mode=VerifyFull",
            (string?)postgres["connectionString"]);
        Assert.Equal(new Dictionary<string, string?>
            {
                ["administratorLogin"] = "{postgres-admin.value}",
                ["administratorLoginPassword"] = "{postgres-password.value}",
                ["skuName"] = "Standard_B1ms",
                ["skuTier"] = "Burstable",
                ["version"] = "17",
            },
            postgres["params"]!.AsObject().ToDictionary(p => p.Key, p => (string?)p.Value));
        Assert.Equal("{postgres.connectionString};Database=appdb", (string?)manifest.Resource("appdb")["connectionString"]);
        Assert.Equal("value.v0", (string?)manifest.Resource("appdb")["type"]);
        // Nothing azd would run as a container of its own, or refuse: only parameters, values, the module and the two projects.
        Assert.Equal(["azure.bicep.v0", "parameter.v0", "project.v1", "value.v0"],
            manifest.Resources.Select(r => (string)r.Value!["type"]!).Distinct().Order());
    }

    [Fact]
    public async Task The_admin_login_and_password_are_generated_once_by_azd_and_only_the_password_is_secret()
    {
        using var manifest = await PublishAsync();

        var login = manifest.Resource("postgres-admin")["inputs"]!["value"]!;
        var password = manifest.Resource("postgres-password")["inputs"]!["value"]!;

        // Lower-case letters only: a valid PostgreSQL identifier, never one of Azure's reserved names.
        Assert.Equal("""{"type":"string","default":{"generate":{"minLength":10,"upper":false,"numeric":false,"special":false}}}""", login.ToJsonString());
        // Three character classes, as Flexible Server requires, and nothing that needs escaping in a connection string.
        Assert.Equal("""{"type":"string","secret":true,"default":{"generate":{"minLength":22,"special":false,"minLower":1,"minUpper":1,"minNumeric":1}}}""",
            password.ToJsonString());
    }

    [Fact]
    public async Task The_server_is_durable_backed_up_TLS_only_and_admits_Azure_services_only()
    {
        using var manifest = await PublishAsync();

        var template = await manifest.ModuleAsync("postgres");

        var resources = ArmTemplate.Resources(template).ToDictionary(r => (string)r["type"]!);
        Assert.Equal(["Microsoft.DBforPostgreSQL/flexibleServers", "Microsoft.DBforPostgreSQL/flexibleServers/configurations",
            "Microsoft.DBforPostgreSQL/flexibleServers/firewallRules"], resources.Keys.Order());
        var server = resources["Microsoft.DBforPostgreSQL/flexibleServers"];
        Assert.Equal("2025-08-01", (string?)server["apiVersion"]);
        var properties = server["properties"]!;
        Assert.Equal("""{"backupRetentionDays":"[parameters('backupRetentionDays')]","geoRedundantBackup":"Disabled"}""", ArmTemplate.Text(properties["backup"]!));
        Assert.Equal("""{"mode":"Disabled"}""", ArmTemplate.Text(properties["highAvailability"]!));
        Assert.Equal("""{"activeDirectoryAuth":"Disabled","passwordAuth":"Enabled"}""", ArmTemplate.Text(properties["authConfig"]!));
        Assert.Equal(32, (int?)template["parameters"]!["storageSizeGB"]!["defaultValue"]);
        Assert.Equal(7, (int?)template["parameters"]!["backupRetentionDays"]!["defaultValue"]);
        var firewall = resources["Microsoft.DBforPostgreSQL/flexibleServers/firewallRules"]["properties"]!;
        Assert.Equal(("0.0.0.0", "0.0.0.0"), ((string?)firewall["startIpAddress"], (string?)firewall["endIpAddress"]));
        var tls = resources["Microsoft.DBforPostgreSQL/flexibleServers/configurations"];
        Assert.EndsWith("'require_secure_transport')]", (string?)tls["name"]);
        Assert.Equal("on", (string?)tls["properties"]!["value"]);
        Assert.Equal("[reference(resourceId('Microsoft.DBforPostgreSQL/flexibleServers', take(format('postgres-{0}', uniqueString(resourceGroup().id)), 63)), '2025-08-01').fullyQualifiedDomainName]",
            (string?)template["outputs"]!["hostName"]!["value"]);
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("migrations")]
    [InlineData("webapp")]
    public async Task Module_parameters_match_what_the_manifest_passes(string resource)
    {
        using var manifest = await PublishAsync();
        var entry = manifest.Resource(resource)["deployment"] ?? manifest.Resource(resource);

        var template = await manifest.ModuleAsync(resource);

        // azd turns the params into a .bicepparam file (or main.bicep's module call, for postgres): an undeclared one
        // fails the deployment, and so does a missing required one. For a top-level module azd adds "location" itself.
        var declared = template["parameters"]!.AsObject();
        var passed = entry["params"]!.AsObject();
        Assert.All(passed, p => Assert.True(declared.ContainsKey(p.Key), $"{resource} passes '{p.Key}', which its module does not declare"));
        Assert.All(declared.Where(d => d.Value!["defaultValue"] is null),
            d => Assert.True(passed.ContainsKey(d.Key), $"{resource}'s module needs '{d.Key}', which the manifest does not pass"));
        Assert.All(passed, p => Assert.Equal(JsonValueKind.String, p.Value!.GetValueKind())); // azd takes strings only for projects
        Assert.True(declared.ContainsKey("location"));
        // Whatever carries a password is a secure parameter, so that ARM never shows or logs it.
        Assert.All(passed.Where(p => ((string)p.Value!).Contains(".connectionString}", StringComparison.Ordinal)
                || ((string)p.Value!).Contains("password", StringComparison.Ordinal)),
            p => Assert.Equal("securestring", (string?)declared[p.Key]!["type"]));
    }

    [Fact]
    public async Task An_azd_shaped_main_bicep_provisions_the_server_with_the_manifests_values()
    {
        using var manifest = await PublishAsync();
        var postgres = manifest.Resource("postgres");

        // What azd writes into its main.bicep for a top-level module: each {name.value} a parameter of main.bicep
        // (secure when the manifest's parameter is secret), other values literal, location added, the outputs used
        // in connection strings turned into outputs of main.bicep (what reaches the azd environment).
        var parameters = new List<string>();
        var arguments = new List<string> { "    location: location" };
        foreach (var (key, value) in postgres["params"]!.AsObject())
        {
            if (ParameterReference().Match((string)value!) is { Success: true } reference)
            {
                var name = reference.Groups[1].Value;
                var secret = (bool?)manifest.Resource(name)["inputs"]!["value"]!["secret"] == true;
                parameters.Add($"{(secret ? "@secure()\n" : "")}param {name.Replace('-', '_')} string");
                arguments.Add($"    {key}: {name.Replace('-', '_')}");
            }
            else
            {
                arguments.Add($"    {key}: '{value}'");
            }
        }

        // In a folder of its own beside a copy of the module: the published folder is shared with other tests.
        var folder = System.IO.Directory.CreateTempSubdirectory("main-bicep-").FullName;
        File.Copy(Path.Combine(manifest.Directory, (string)postgres["path"]!), Path.Combine(folder, (string)postgres["path"]!));
        var main = Path.Combine(folder, "main.bicep");
        await File.WriteAllTextAsync(main, $$"""
            targetScope = 'subscription'
            param location string
            {{string.Join('\n', parameters)}}
            resource rg 'Microsoft.Resources/resourceGroups@2022-09-01' = {
              name: 'rg-test'
              location: location
            }
            module postgres '{{(string)postgres["path"]!}}' = {
              name: 'postgres'
              scope: rg
              params: {
            {{string.Join('\n', arguments)}}
              }
            }
            output POSTGRES_HOSTNAME string = postgres.outputs.hostName
            """, TestContext.Current.CancellationToken);

        var template = await BicepCli.BuildAsync(main);
        System.IO.Directory.Delete(folder, recursive: true);

        Assert.Equal(["location", "postgres_admin", "postgres_password"], template["parameters"]!.AsObject().Select(p => p.Key));
        Assert.Equal("securestring", (string?)template["parameters"]!["postgres_password"]!["type"]);
    }

    [Fact]
    public async Task Webapp_has_an_external_http_endpoint_and_its_probes_on_health_and_alive()
    {
        using var manifest = await PublishAsync();

        var webapp = manifest.Resource("webapp");
        Assert.True((bool?)webapp["bindings"]!["http"]!["external"]);
        Assert.Equal("/health", (string?)webapp["deployment"]!["params"]!["readinessProbePath"]);
        Assert.Equal("/alive", (string?)webapp["deployment"]!["params"]!["livenessProbePath"]);

        var template = await manifest.ModuleAsync("webapp");
        var app = Assert.Single(ArmTemplate.Resources(template), r => (string?)r["type"] == "Microsoft.App/containerApps");
        Assert.True((bool?)app["properties"]!["configuration"]!["ingress"]!["external"]);
        // Each probe asks the path the manifest passes for it (the values above), on the app's own port.
        var probes = app["properties"]!["template"]!["containers"]![0]!["probes"]!.AsArray()
            .ToDictionary(p => (string)p!["type"]!, p => ((string?)p!["httpGet"]!["path"], (string?)p["httpGet"]!["port"]));
        Assert.Equal(["Readiness", "Liveness"], probes.Keys);
        Assert.Equal(("[parameters('readinessProbePath')]", "[parameters('targetPort')]"), probes["Readiness"]);
        Assert.Equal(("[parameters('livenessProbePath')]", "[parameters('targetPort')]"), probes["Liveness"]);
    }

    [Fact]
    public async Task The_web_app_believes_forwarded_headers_only_from_the_private_networks_the_AppHost_names()
    {
        using var manifest = await PublishAsync();

        var template = await manifest.ModuleAsync("webapp");

        // The sample's own setting, passed to the library's module rather than written into it.
        Assert.Equal("10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10",
            (string?)manifest.Resource("webapp")["deployment"]!["params"]!["forwardedHeadersKnownNetworks"]);
        var web = ArmTemplate.Resources(template).Single()["properties"]!["template"]!["containers"]![0]!;
        Assert.Contains(web["env"]!.AsArray(), e => (string?)e!["name"] == "ForwardedHeaders__KnownNetworks"
            && (string?)e["value"] == "[parameters('forwardedHeadersKnownNetworks')]");
    }

    [Fact]
    public async Task Webapps_readiness_probe_waits_longer_than_the_app_may_take_to_answer_it()
    {
        using var manifest = await PublishAsync();

        var template = await manifest.ModuleAsync("webapp");

        var app = Assert.Single(ArmTemplate.Resources(template), r => (string?)r["type"] == "Microsoft.App/containerApps");
        var readiness = Assert.Single(app["properties"]!["template"]!["containers"]![0]!["probes"]!.AsArray(), p => (string?)p!["type"] == "Readiness")!;
        // The app answers /health within its health check timeout, database or not; the probe must wait for that answer
        // (the platform's default probe timeout is 1 s).
        // The module's parameter, left at its default by the manifest.
        Assert.Equal("[parameters('readinessProbeTimeoutSeconds')]", (string?)readiness["timeoutSeconds"]);
        Assert.Null(manifest.Resource("webapp")["deployment"]!["params"]!["readinessProbeTimeoutSeconds"]);
        var seconds = (int?)template["parameters"]!["readinessProbeTimeoutSeconds"]!["defaultValue"];
        Assert.True(seconds > Microsoft.Extensions.Hosting.Extensions.DefaultHealthCheckTimeout.TotalSeconds, $"{seconds}");
    }

    [Fact]
    public async Task Worker_is_published_as_a_manual_job_that_runs_once_when_started_not_as_a_container_app()
    {
        using var manifest = await PublishAsync();

        var template = await manifest.ModuleAsync("migrations");

        var job = Assert.Single(ArmTemplate.Resources(template));
        Assert.Equal("Microsoft.App/jobs", (string?)job["type"]);
        var configuration = job["properties"]!["configuration"]!;
        Assert.Equal("Manual", (string?)configuration["triggerType"]);
        Assert.Equal(0, (int?)configuration["replicaRetryLimit"]);
        Assert.Equal(1, (int?)configuration["manualTriggerConfig"]!["parallelism"]);
        Assert.Equal(1, (int?)configuration["manualTriggerConfig"]!["replicaCompletionCount"]);
        // run-migrations-job.sh finds the job by its aspire-resource-name tag, whose value must be "migrations".
        Assert.Equal("[union(parameters('tags'), createObject('aspire-resource-name', 'migrations', 'azd-service-name', 'migrations'))]",
            (string?)job["tags"]);
        // No target is baked into the job: an execution gets its arguments from whoever starts it.
        Assert.DoesNotContain("Migrations__Target", template.ToJsonString());
    }

    [Fact]
    public async Task Secrets_travel_only_as_secret_parameters_never_as_literals()
    {
        using var manifest = await PublishAsync();

        foreach (var file in Directory.EnumerateFiles(manifest.Directory))
        {
            var text = await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken);
            Assert.DoesNotContain(KnownPassword, text);
            Assert.DoesNotContain(KnownAdmin, text);
        }

        // Every password in a connection string or environment value is a placeholder.
        var assignments = PasswordAssignment().Matches(manifest.Text);
        Assert.NotEmpty(assignments);
        Assert.All(assignments, m => Assert.StartsWith("{", m.Groups[1].Value));
    }

    [Fact]
    public async Task Azure_connection_strings_verify_the_servers_certificate_in_full()
    {
        using var manifest = await PublishAsync();

        foreach (var name in new[] { "postgres", "appdb-web" })
        {
            var connectionString = (string)manifest.Resource(name)["connectionString"]!;
            Assert.Contains(";SSL Mode=VerifyFull", connectionString);
            // Require (or trusting the server's certificate) would accept a certificate for any host; a Root Certificate
            // would replace the OS trust store that holds Azure's roots.
            Assert.DoesNotMatch("(?i)Trust Server Certificate|Root Certificate|SSL Mode=(Require|Prefer|Disable|VerifyCA)", connectionString);
        }
    }

    [Fact]
    public async Task Publishing_the_postgres_container_needs_the_explicit_opt_in()
    {
        var refused = await PublishedManifest.RefusedAsync("--Postgres:Mode=Container");
        using var optedIn = await PublishAsync("--Postgres:Mode=Container", "--Postgres:EphemeralCloudDatabase=true");

        Assert.Equal(1, refused.ExitCode);
        Assert.Equal(("", "Postgres:Mode=Container deploys PostgreSQL as a container without durable storage, so its data is lost on every " +
            "restart or new revision: publish the default (Azure Database for PostgreSQL), or set Postgres:EphemeralCloudDatabase=true for a throwaway demo.\n"),
            (refused.Stdout, refused.Stderr));
        Assert.Equal("container.v0", (string?)optedIn.Resource("postgres")["type"]);
        Assert.Equal("docker.io/library/postgres:17", (string?)optedIn.Resource("postgres")["image"]);
        Assert.Empty(optedIn.Resource("postgres")["volumes"]?.AsArray() ?? []);
        // The official image serves no TLS: its connection strings ask for none.
        Assert.DoesNotContain("SSL Mode", optedIn.Text);
    }

    [Theory]
    [InlineData("Standard_D2ds_v5", "GeneralPurpose")]
    [InlineData("Standard_E2ds_v5", "MemoryOptimized")]
    [InlineData("Standard_B2s", "Burstable")]
    public async Task The_server_size_is_overridable_and_its_tier_follows(string sku, string tier)
    {
        using var manifest = await PublishAsync($"--Postgres:Azure:Sku={sku}");

        var parameters = manifest.Resource("postgres")["params"]!;
        Assert.Equal((sku, tier), ((string?)parameters["skuName"], (string?)parameters["skuTier"]));
    }

    [Fact]
    public async Task An_unknown_server_size_is_refused_with_one_line()
    {
        var refused = await PublishedManifest.RefusedAsync("--Postgres:Azure:Sku=Basic_A1");

        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("Postgres:Azure:Sku must be a Flexible Server compute size such as Standard_B1ms (Burstable), Standard_D2ds_v5 " +
            "(General Purpose) or Standard_E2ds_v5 (Memory Optimized); got 'Basic_A1'.\n", refused.Stderr);
    }

    [Theory]
    [InlineData("--Migrations:Target=InitialSchema",
        "Migrations:Target=InitialSchema is not deployed: every new web app revision migrates to the latest before it starts. " +
        "Roll back with AppHost/infra/scripts/run-migrations-job.sh --target InitialSchema (see docs/deploy.md).\n")]
    [InlineData("--Migrations:AllowDataLoss=true",
        "Migrations:AllowDataLoss=true is not deployed: every new web app revision migrates to the latest before it starts. " +
        "Give the worker's flag to AppHost/infra/scripts/run-migrations-job.sh instead (see docs/deploy.md).\n")]
    public async Task A_migration_setting_is_refused_when_publishing_with_where_it_belongs(string setting, string line)
    {
        var refused = await PublishedManifest.RefusedAsync(setting);

        Assert.Equal(1, refused.ExitCode);
        Assert.Equal(("", line), (refused.Stdout, refused.Stderr));
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
        Assert.Equal("{appdb.connectionString}", (string?)manifest.Resource("webapp")["deployment"]!["params"]!["migrationsAppdbConnectionString"]);
    }

    [Fact]
    public async Task Local_mode_cannot_be_published()
    {
        var refused = await PublishedManifest.RefusedAsync("--Postgres:Mode=Local");

        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("Postgres:Mode=Local runs binaries of this machine and cannot be deployed; publish with Azure (the default) or External.\n",
            refused.Stderr);
    }

    [GeneratedRegex(@"Password[=""]+:?\s*""?([^;""]*)", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordAssignment();

    [GeneratedRegex(@"^\{([a-z0-9-]+)\.value\}$")]
    private static partial Regex ParameterReference();
}
