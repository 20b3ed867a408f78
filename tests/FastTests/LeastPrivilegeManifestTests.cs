namespace FastTests;

/// <summary>
/// The deployment manifest gives each process its own login: the web app's container gets only the web app's connection
/// string, the init container that migrates the migrator login's and the web app's, and only the worker's job (not
/// internet-facing) the admin's and the web app's; every password is a secret parameter, never a literal.
/// </summary>
public sealed class LeastPrivilegeManifestTests
{
    private const string AdminPassword = "Kn0wn-Admin-Secret-1111";
    private const string WebPassword = "Kn0wn-Web-Secret-2222";
    private const string MigratorPassword = "Kn0wn-Migrator-Secret-3333";

    private static Task<PublishedManifest> PublishAsync(params string[] args) =>
        PublishedManifest.PublishAsync([$"--Parameters:postgres-password={AdminPassword}", $"--Parameters:appdb-web-password={WebPassword}",
            $"--Parameters:appdb-migrator-password={MigratorPassword}", .. args]);

    [Fact]
    public async Task The_web_container_gets_only_its_own_login_and_the_init_container_the_migrator_login_never_the_admins()
    {
        using var manifest = await PublishAsync();
        var webapp = manifest.Resource("webapp");
        var parameters = webapp["deployment"]!["params"]!;

        var template = await manifest.ModuleAsync("webapp");

        // Nowhere in the web app's entry: not the admin's connection string, not the admin's password.
        var references = StringsIn(webapp).ToList();
        Assert.DoesNotContain(references, value => value.Contains("{appdb.connectionString}", StringComparison.Ordinal));
        Assert.DoesNotContain(references, value => value.Contains("{postgres-password.", StringComparison.Ordinal));
        Assert.DoesNotContain(references, value => value.Contains("{postgres.connectionString}", StringComparison.Ordinal));
        // The manifest passes the module both logins, as separate secure parameters.
        Assert.Equal("{appdb-web.connectionString}", (string?)parameters["appdbConnectionString"]);
        Assert.Equal("{appdb-migrator.connectionString}", (string?)parameters["migrationsAppdbMigratorConnectionString"]);
        Assert.Equal("{appdb-web.connectionString}", (string?)webapp["env"]!["ConnectionStrings__appdb"]);
        // The app's secret store holds both (one secret each); each container's environment names only what it needs.
        var app = ArmTemplate.Resources(template).Single();
        var secrets = app["properties"]!["configuration"]!["secrets"]!.AsArray();
        Assert.Equal(["[parameters('appdbConnectionString')]", "[parameters('migrationsAppdbMigratorConnectionString')]"],
            secrets.Select(s => (string)s!["value"]!));
        var web = app["properties"]!["template"]!["containers"]!.AsArray().Single()!;
        var init = app["properties"]!["template"]!["initContainers"]!.AsArray().Single()!;
        Assert.Equal([("ConnectionStrings__appdb", "[parameters('appdbConnectionString')]")], SecretEnvironment(template, secrets, web));
        Assert.Equal([("ConnectionStrings__appdb", "[parameters('migrationsAppdbMigratorConnectionString')]"), ("ConnectionStrings__appdb-web", "[parameters('appdbConnectionString')]")],
            SecretEnvironment(template, secrets, init));
    }

    [Fact]
    public async Task The_migrator_login_names_its_own_role_and_generated_secret_password_on_the_Azure_server()
    {
        using var manifest = await PublishAsync();

        Assert.Equal("value.v0", (string?)manifest.Resource("appdb-migrator")["type"]);
        Assert.Equal("Host={postgres.outputs.hostName};Port=5432;Database=appdb;Username=appdb_migrator;Password={appdb-migrator-password.value};SSL Mode=VerifyFull;Maximum Pool Size=5",
            (string?)manifest.Resource("appdb-migrator")["connectionString"]);
        // Letters and digits only: the bootstrap hook passes it on without escaping.
        Assert.False((bool?)manifest.Resource("appdb-migrator-password")["inputs"]!["value"]!["default"]!["generate"]!["special"]);
    }

    [Theory]
    [InlineData("--Postgres:Mode=Container", "--Postgres:EphemeralCloudDatabase=true")]
    [InlineData("--Postgres:Mode=External")]
    public async Task Without_a_bootstrap_before_the_first_deployment_the_init_container_keeps_the_admins_login(params string[] args)
    {
        using var manifest = await PublishAsync(args);

        Assert.Null(manifest.Resources["appdb-migrator"]);
        Assert.Equal("{appdb.connectionString}", (string?)manifest.Resource("webapp")["deployment"]!["params"]!["migrationsAppdbConnectionString"]);
    }

    /// <summary>Every string value under <paramref name="node"/>, however deep.</summary>
    private static IEnumerable<string> StringsIn(System.Text.Json.Nodes.JsonNode? node) => node switch
    {
        System.Text.Json.Nodes.JsonObject o => o.SelectMany(p => StringsIn(p.Value)),
        System.Text.Json.Nodes.JsonArray a => a.SelectMany(StringsIn),
        System.Text.Json.Nodes.JsonValue v when v.TryGetValue<string>(out var text) => [text],
        _ => [],
    };

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
    public async Task Every_password_is_a_distinct_generated_secret_parameter_and_no_file_holds_any()
    {
        using var manifest = await PublishAsync();

        foreach (var name in new[] { "postgres-password", "appdb-web-password", "appdb-migrator-password" })
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
            Assert.DoesNotContain(MigratorPassword, text);
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
