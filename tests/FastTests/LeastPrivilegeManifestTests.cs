namespace FastTests;

/// <summary>
/// The deployment manifest gives each process its own login: the web app's container gets only the web app's connection
/// string, the init container that migrates and the worker's job the admin's and the web app's; both passwords are
/// secret parameters, never literals.
/// </summary>
public sealed class LeastPrivilegeManifestTests
{
    private const string AdminPassword = "Kn0wn-Admin-Secret-1111";
    private const string WebPassword = "Kn0wn-Web-Secret-2222";

    private static Task<PublishedManifest> PublishAsync(params string[] args) =>
        PublishedManifest.PublishAsync([$"--Parameters:postgres-password={AdminPassword}", $"--Parameters:appdb-web-password={WebPassword}", .. args]);

    [Fact]
    public async Task The_web_container_gets_only_its_own_login_and_the_admins_goes_only_to_the_init_container()
    {
        using var manifest = await PublishAsync();
        var webapp = manifest.Resource("webapp");
        var parameters = webapp["deployment"]!["params"]!;

        var template = await manifest.ModuleAsync("webapp");

        // The manifest passes the module both logins, as separate secure parameters.
        Assert.Equal("{appdb-web.connectionString}", (string?)parameters["appdbConnectionString"]);
        Assert.Equal("{appdb.connectionString}", (string?)parameters["migrationsAppdbConnectionString"]);
        Assert.Equal("{appdb-web.connectionString}", (string?)webapp["env"]!["ConnectionStrings__appdb"]);
        Assert.DoesNotContain("postgres-password", webapp["env"]!.ToJsonString());
        // The app's secret store holds both (one secret each); each container's environment names only what it needs.
        var app = ArmTemplate.Resources(template).Single();
        var secrets = app["properties"]!["configuration"]!["secrets"]!.AsArray();
        Assert.Equal(["[parameters('appdbConnectionString')]", "[parameters('migrationsAppdbConnectionString')]"],
            secrets.Select(s => (string)s!["value"]!));
        var web = app["properties"]!["template"]!["containers"]!.AsArray().Single()!;
        var init = app["properties"]!["template"]!["initContainers"]!.AsArray().Single()!;
        Assert.Equal([("ConnectionStrings__appdb", "[parameters('appdbConnectionString')]")], SecretEnvironment(template, secrets, web));
        Assert.Equal([("ConnectionStrings__appdb", "[parameters('migrationsAppdbConnectionString')]"), ("ConnectionStrings__appdb-web", "[parameters('appdbConnectionString')]")],
            SecretEnvironment(template, secrets, init));
    }

    [Fact]
    public async Task The_web_apps_login_names_its_own_role_on_the_Azure_server_and_on_the_opt_in_container()
    {
        using var azure = await PublishAsync();
        using var container = await PublishAsync("--Postgres:Mode=Container", "--Postgres:EphemeralCloudDatabase=true");

        Assert.Equal("value.v0", (string?)azure.Resource("appdb-web")["type"]);
        Assert.Equal("Host={postgres.outputs.hostName};Port=5432;Database=appdb;Username=appdb_web;Password={appdb-web-password.value};SSL Mode=VerifyFull;Maximum Pool Size=5",
            (string?)azure.Resource("appdb-web")["connectionString"]);
        Assert.Equal("Host={postgres.bindings.tcp.host};Port={postgres.bindings.tcp.port};Database=appdb;Username=appdb_web;Password={appdb-web-password.value}",
            (string?)container.Resource("appdb-web")["connectionString"]);
    }

    /// <summary>The container's environment variables that come from secrets, with the value each secret holds.</summary>
    private static IEnumerable<(string Name, string Value)> SecretEnvironment(System.Text.Json.Nodes.JsonNode template,
        System.Text.Json.Nodes.JsonArray secrets, System.Text.Json.Nodes.JsonNode container) =>
        container["env"]!.AsArray().Where(e => e!["secretRef"] is not null)
            .Select(e => ((string)e!["name"]!, ArmTemplate.SecretValue(template, secrets, (string)e["secretRef"]!)));

    [Fact]
    public async Task Worker_module_gets_the_admins_and_the_web_apps_connection_strings_as_secure_parameters()
    {
        using var manifest = await PublishAsync();
        var deployment = manifest.Resource("migrations")["deployment"]!;

        var template = await BicepCli.BuildAsync(Path.Combine(manifest.Directory, (string)deployment["path"]!));

        Assert.Equal("{appdb.connectionString}", (string?)deployment["params"]!["appdbConnectionString"]);
        Assert.Equal("{appdb-web.connectionString}", (string?)deployment["params"]!["appdbWebConnectionString"]);
        Assert.Equal("securestring", (string?)template["parameters"]!["appdbWebConnectionString"]!["type"]);
        // The job passes it on as the worker reads it.
        Assert.Contains("ConnectionStrings__appdb-web", template.ToJsonString());
    }

    [Fact]
    public async Task Both_passwords_are_distinct_generated_secret_parameters_and_no_file_holds_either()
    {
        using var manifest = await PublishAsync();

        foreach (var name in new[] { "postgres-password", "appdb-web-password" })
        {
            var parameter = manifest.Resource(name);
            Assert.Equal("parameter.v0", (string?)parameter["type"]);
            Assert.True((bool?)parameter["inputs"]!["value"]!["secret"]);
            Assert.NotNull(parameter["inputs"]!["value"]!["default"]!["generate"]);
        }

        foreach (var file in Directory.EnumerateFiles(manifest.Directory))
        {
            var text = await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken);
            Assert.DoesNotContain(AdminPassword, text);
            Assert.DoesNotContain(WebPassword, text);
        }
    }

    [Fact]
    public async Task External_mode_takes_the_web_apps_connection_string_as_a_secret_parameter_of_its_own()
    {
        using var manifest = await PublishAsync("--Postgres:Mode=External");

        var login = manifest.Resource("appdb-web");
        Assert.Equal("parameter.v0", (string?)login["type"]);
        Assert.True((bool?)login["inputs"]!["value"]!["secret"]);
        Assert.Null(login["inputs"]!["value"]!["default"]); // the operator supplies it, as appdb's
        Assert.Equal("{appdb-web.connectionString}", (string?)manifest.Resource("webapp")["deployment"]!["params"]!["appdbConnectionString"]);
        Assert.Equal("{appdb-web.connectionString}", (string?)manifest.Resource("migrations")["deployment"]!["params"]!["appdbWebConnectionString"]);
        Assert.DoesNotContain("SSL Mode", manifest.Text); // the operator's connection strings say how to connect
    }
}
