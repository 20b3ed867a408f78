namespace FastTests;

/// <summary>
/// The deployment manifest gives each service its own login: the web app's module gets only the web app's connection
/// string; the worker's gets the admin's and the web app's; both passwords are secret parameters, never literals.
/// </summary>
public sealed class LeastPrivilegeManifestTests
{
    private const string AdminPassword = "Kn0wn-Admin-Secret-1111";
    private const string WebPassword = "Kn0wn-Web-Secret-2222";

    private static Task<PublishedManifest> PublishAsync(params string[] args) =>
        PublishedManifest.PublishAsync([$"--Parameters:postgres-password={AdminPassword}", $"--Parameters:appdb-web-password={WebPassword}", .. args]);

    [Fact]
    public async Task Webapp_module_gets_only_its_own_connection_string_which_names_its_own_role()
    {
        using var manifest = await PublishAsync();

        var webapp = manifest.Resource("webapp");
        var connectionStrings = webapp["deployment"]!["params"]!.AsObject()
            .Where(p => ((string?)p.Value)!.Contains("connectionString", StringComparison.Ordinal)).ToList();
        var parameter = Assert.Single(connectionStrings);
        Assert.Equal(("appdbConnectionString", "{appdb-web.connectionString}"), (parameter.Key, (string?)parameter.Value));
        Assert.Equal("{appdb-web.connectionString}", (string?)webapp["env"]!["ConnectionStrings__appdb"]);
        Assert.DoesNotContain("{appdb.", webapp.ToJsonString());
        Assert.DoesNotContain("postgres-password", webapp.ToJsonString());

        var login = manifest.Resource("appdb-web");
        Assert.Equal("value.v0", (string?)login["type"]);
        Assert.Equal("Host={postgres.bindings.tcp.host};Port={postgres.bindings.tcp.port};Database=appdb;Username=appdb_web;Password={appdb-web-password.value}",
            (string?)login["connectionString"]);
    }

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
    }
}
