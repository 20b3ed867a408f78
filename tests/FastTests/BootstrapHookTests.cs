using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using static FastTests.AzdProjectTests;

namespace FastTests;

/// <summary>
/// <c>bootstrap-database.sh</c>, the postprovision hook that runs the bootstrap as the admin in a one-off Container Apps
/// job before any deployment: run for real against a stand-in <c>az</c> and <c>azd</c> that answer only the exact calls
/// the hook must send. The job's definition is read back as YAML.
/// </summary>
public sealed class BootstrapHookTests : IDisposable
{
    private static readonly string Hook = Path.Combine(Scripts, "bootstrap-database.sh");

    private const string EnvironmentId = "/subscriptions/s/resourceGroups/rg-discovered-by-tag/providers/Microsoft.App/managedEnvironments/cae-x7k2";
    private const string Host = "postgres-x7k2.postgres.database.azure.com";
    private const string Admin = "qwertzuiop";
    private const string AdminPassword = "Adm1nPassw0rdGeneratedByAzd";
    private const string WebPassword = "Web-Passw0rd_{x}";
    private const string MigratorPassword = "M1gratorPassw0rdGenerated";
    private const string Execution = "appdb-bootstrap-exec1";

    // The job's name ends with the time it was made: the stand-in takes any, and the calls show it as <job>.
    private static string Parameter(string name) => $"azd env config get infra.parameters.{name}";
    private static readonly string Create = $"containerapp job create -n <job> -g {DiscoveredGroup} --yaml <file> -o none --only-show-errors";
    private static readonly string Start = $"containerapp job start -n <job> -g {DiscoveredGroup} --query name -o tsv --only-show-errors";
    private static readonly string Status =
        $"containerapp job execution show -n <job> -g {DiscoveredGroup} --job-execution-name {Execution} --query properties.status -o tsv --only-show-errors";
    private static readonly string Logs =
        $"containerapp job logs show -n <job> -g {DiscoveredGroup} --execution {Execution} --container bootstrap --format text --tail 100 --only-show-errors";
    private static readonly string Stop = $"containerapp job stop -n <job> -g {DiscoveredGroup} --job-execution-name {Execution} -o none --only-show-errors";
    private static readonly string Delete = $"containerapp job delete -n <job> -g {DiscoveredGroup} --yes -o none --only-show-errors";

    private static readonly Dictionary<string, string?> HookEnvironment = new()
    {
        ["AZURE_ENV_NAME"] = EnvironmentName,
        ["AZURE_LOCATION"] = "swedencentral",
        ["AZURE_CONTAINER_APPS_ENVIRONMENT_ID"] = EnvironmentId,
        ["POSTGRES_HOSTNAME"] = Host,
        ["BOOTSTRAP_JOB_POLL_SECONDS"] = "0",
        ["BOOTSTRAP_JOB_TIMEOUT_SECONDS"] = "60",
    };

    private readonly StandInAzureCli _az = new();

    private string Kept => Path.GetFullPath(Path.Combine(_az.TemporaryDirectory, "..", "job.yaml"));

    private static string Any(string call) => call.Replace("<job>", "*", StringComparison.Ordinal).Replace("<file>", "*", StringComparison.Ordinal);

    private IEnumerable<string> CallsNamed() => _az.Calls.Select(c =>
        Regex.Replace(Regex.Replace(c, "appdb-bootstrap-[0-9]+", "<job>"), $"{Regex.Escape(_az.TemporaryDirectory)}/[^ ]+/job.yaml", "<file>"));

    /// <summary>The stand-in: azd keeps the generated parameters (as JSON strings); the execution reports <paramref name="statuses"/>, one per poll.</summary>
    private StandInAzureCli Deployment(string[] statuses, string webPasswordAsAzdPrintsIt = $"\"{WebPassword}\"") =>
        _az.Print(SignedIn, "00000000-0000-0000-0000-000000000000")
            .Print(GroupLookup, DiscoveredGroup)
            .Print(Parameter("postgres_admin"), $"\"{Admin}\"")
            .Print(Parameter("postgres_password"), $"\"{AdminPassword}\"")
            .Print(Parameter("appdb_web_password"), webPasswordAsAzdPrintsIt)
            .Print(Parameter("appdb_migrator_password"), $"\"{MigratorPassword}\"")
            // Keeps the job's definition and its file mode, to read them whole.
            .Answer(Any(Create), $"while [ $# -gt 0 ]; do [ \"$1\" != --yaml ] || {{ cp \"$2\" '{Kept}'; stat -c %a \"$2\" > '{Kept}.mode'; }}; shift; done")
            .Print(Any(Start), Execution)
            .Sequence(Any(Status), statuses)
            .Print(Any(Logs), "psql:<stdin>:40: ERROR:  permission denied to create role")
            .Print(Any(Stop))
            .Print(Any(Delete));

    private static string[] Until(params string[] last) =>
        [SignedIn, GroupLookup, Parameter("postgres_admin"), Parameter("postgres_password"), Parameter("appdb_web_password"),
            Parameter("appdb_migrator_password"), Create, Start, .. last];

    private YamlMappingNode Job() =>
        (YamlMappingNode)Yaml.Load(File.ReadAllText(Kept));

    private static YamlNode At(YamlNode node, params object[] path) => path.Aggregate(node, (current, step) => step switch
    {
        string key => ((YamlMappingNode)current).Children[new YamlScalarNode(key)],
        int index => ((YamlSequenceNode)current).Children[index],
        _ => throw new ArgumentException("A key or an index.", nameof(path)),
    });

    private static string Text(YamlNode node) => ((YamlScalarNode)node).Value!;

    [Fact]
    public async Task Runs_the_committed_bootstrap_as_the_admin_in_a_one_off_job_with_the_passwords_as_secrets_then_deletes_it()
    {
        Deployment(statuses: ["Running", "Succeeded"]);

        var result = await _az.RunAsync(Hook, [], HookEnvironment);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(Until(Status, Status, Delete), CallsNamed());
        var job = Job();
        Assert.Equal("600", await File.ReadAllTextAsync(Kept + ".mode", TestContext.Current.CancellationToken) is var mode ? mode.Trim() : null);
        Assert.Equal("swedencentral", Text(At(job, "location")));
        Assert.Equal(EnvironmentId, Text(At(job, "properties", "environmentId")));
        Assert.Equal("Manual", Text(At(job, "properties", "configuration", "triggerType")));
        Assert.Equal("0", Text(At(job, "properties", "configuration", "replicaRetryLimit")));
        var secrets = ((YamlSequenceNode)At(job, "properties", "configuration", "secrets")).Children
            .ToDictionary(s => Text(At(s, "name")), s => Text(At(s, "value")));
        Assert.Equal(new Dictionary<string, string> { ["admin-password"] = AdminPassword, ["web-password"] = WebPassword, ["migrator-password"] = MigratorPassword }, secrets);

        var container = At(job, "properties", "template", "containers", 0);
        Assert.Equal("docker.io/library/postgres:17-alpine", Text(At(container, "image")));
        Assert.Equal(["sh", "-c", "printenv BOOTSTRAP_SQL | psql -X -f -"], ((YamlSequenceNode)At(container, "command")).Children.Select(Text));
        var environment = ((YamlSequenceNode)At(container, "env")).Children.ToDictionary(e => Text(At(e, "name")),
            e => ((YamlMappingNode)e).Children.TryGetValue(new YamlScalarNode("secretRef"), out var secret) ? $"secret:{Text(secret)}" : Text(At(e, "value")));
        Assert.Equal(new Dictionary<string, string>
        {
            ["PGHOST"] = Host,
            ["PGPORT"] = "5432",
            ["PGDATABASE"] = "postgres",
            ["PGUSER"] = Admin,
            ["PGPASSWORD"] = "secret:admin-password",
            ["PGSSLMODE"] = "verify-full",
            ["PGSSLROOTCERT"] = "system",
            ["PGCONNECT_TIMEOUT"] = "30",
            ["APPDB_WEB_PASSWORD"] = "secret:web-password",
            ["APPDB_MIGRATOR_PASSWORD"] = "secret:migrator-password",
            ["APPDB_WEB_CONNECTION_LIMIT"] = "20",
            // The committed script as it stands: the one the worker prints (BootstrapSqlTests).
            ["BOOTSTRAP_SQL"] = await File.ReadAllTextAsync(Path.Combine(Scripts, "bootstrap.sql"), TestContext.Current.CancellationToken),
        }, environment);

        // No password on any command line, in the output, or left in a file.
        foreach (var password in new[] { AdminPassword, WebPassword, MigratorPassword })
        {
            Assert.DoesNotContain(_az.Calls, call => call.Contains(password, StringComparison.Ordinal));
            Assert.DoesNotContain(password, result.Output);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(_az.TemporaryDirectory));
        Assert.Equal(
            $"bootstrap-database: creating job '<job>' in resource group '{DiscoveredGroup}' to run the bootstrap of database appdb on '{Host}' with docker.io/library/postgres:17-alpine\n" +
            $"bootstrap-database: execution '{Execution}' started; waiting up to 60s\n" +
            "bootstrap-database: execution status: Running\n" +
            "bootstrap-database: execution status: Succeeded\n" +
            "bootstrap-database: the roles and grants of database appdb are set up\n" +
            "bootstrap-database: job '<job>' deleted\n", Regex.Replace(result.Stdout, "appdb-bootstrap-[0-9]+", "<job>"));
    }

    [Fact]
    public async Task The_web_roles_connection_limit_it_sets_is_the_web_app_modules()
    {
        Deployment(statuses: ["Succeeded"]);
        using var manifest = await PublishedManifest.PublishAsync();
        var template = await manifest.ModuleAsync("webapp");

        await _az.RunAsync(Hook, [], HookEnvironment);

        // The module's webConnectionLimit with its defaults, which the init container passes as Migrations:WebConnectionLimit.
        Assert.Equal("[mul(mul(2, parameters('maxReplicas')), parameters('databaseMaxPoolSize'))]", (string?)template["variables"]!["webConnectionLimit"]);
        var moduleLimit = 2 * (int)template["parameters"]!["maxReplicas"]!["defaultValue"]! * (int)template["parameters"]!["databaseMaxPoolSize"]!["defaultValue"]!;
        var limit = ((YamlSequenceNode)At(Job(), "properties", "template", "containers", 0, "env")).Children
            .Single(e => Text(At(e, "name")) == "APPDB_WEB_CONNECTION_LIMIT");
        Assert.Equal(moduleLimit.ToString(System.Globalization.CultureInfo.InvariantCulture), Text(At(limit, "value")));
    }

    [Fact]
    public async Task A_password_with_quotes_and_backslashes_reaches_the_job_as_it_is()
    {
        // azd prints a parameter as a JSON string; the hook hands it on as a YAML double-quoted scalar.
        Deployment(statuses: ["Succeeded"], webPasswordAsAzdPrintsIt: "\"we\\\"b\\\\pa'ss\"");

        var result = await _az.RunAsync(Hook, [], HookEnvironment);

        Assert.True(result.ExitCode == 0, result.Output);
        var secrets = ((YamlSequenceNode)At(Job(), "properties", "configuration", "secrets")).Children;
        Assert.Equal("we\"b\\pa'ss", Text(At(secrets.Single(s => Text(At(s, "name")) == "web-password"), "value")));
    }

    [Fact]
    public async Task A_failed_bootstrap_fails_the_provision_with_psqls_output_and_still_deletes_the_job()
    {
        Deployment(statuses: ["Running", "Failed"]);

        var result = await _az.RunAsync(Hook, [], HookEnvironment);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(Until(Status, Status, Logs, Delete), CallsNamed());
        Assert.Equal("psql:<stdin>:40: ERROR:  permission denied to create role\n" +
            $"bootstrap-database: execution '{Execution}' of the bootstrap ended as Failed: nothing is deployed until it succeeds; " +
            "run 'azd provision' again once the cause is fixed\n", result.Stderr);
    }

    [Fact]
    public async Task A_bootstrap_that_does_not_finish_in_time_is_stopped_and_its_job_deleted()
    {
        Deployment(statuses: ["Running"]);

        var result = await _az.RunAsync(Hook, [], new Dictionary<string, string?>(HookEnvironment)
        {
            ["BOOTSTRAP_JOB_TIMEOUT_SECONDS"] = "1",
            ["BOOTSTRAP_JOB_POLL_SECONDS"] = "1",
        });

        Assert.Equal(1, result.ExitCode);
        Assert.Equal([Stop, Delete], CallsNamed().TakeLast(2));
        Assert.EndsWith($"bootstrap-database: execution '{Execution}' of the bootstrap did not finish within 1s (last status: Running)\n", result.Stderr);
    }

    [Fact]
    public async Task SIGTERM_stops_the_execution_and_deletes_the_job_at_once()
    {
        Deployment(statuses: ["Running"]);
        await using var hook = _az.Start(Hook, [], new Dictionary<string, string?>(HookEnvironment) { ["BOOTSTRAP_JOB_POLL_SECONDS"] = "300" });

        var result = await _az.TerminateAfterAsync(hook, calls => calls.Any(c => c.StartsWith("containerapp job execution show", StringComparison.Ordinal)));

        Assert.Equal(143, result.ExitCode);
        Assert.Equal([Status, Stop, Delete], CallsNamed().TakeLast(3));
        Assert.Contains("bootstrap-database: interrupted\n", result.Stderr);
    }

    [Theory]
    [InlineData("AZURE_CONTAINER_APPS_ENVIRONMENT_ID", "AZURE_CONTAINER_APPS_ENVIRONMENT_ID is not set: run this through azd, after 'azd provision'")]
    [InlineData("AZURE_LOCATION", "AZURE_LOCATION is not set: run this through azd")]
    public async Task Without_what_provision_outputs_it_fails_in_one_line_before_any_call(string variable, string line)
    {
        Deployment(statuses: ["Succeeded"]);

        var result = await _az.RunAsync(Hook, [], new Dictionary<string, string?>(HookEnvironment) { [variable] = null });

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"bootstrap-database: {line}\n", result.Stderr);
        Assert.Empty(_az.Calls);
    }

    [Fact]
    public async Task Without_an_Azure_server_there_is_nothing_to_bootstrap_and_it_touches_nothing()
    {
        // The opt-in container server and an External one: no server module, so no POSTGRES_HOSTNAME.
        Deployment(statuses: ["Succeeded"]);

        var result = await _az.RunAsync(Hook, [], new Dictionary<string, string?>(HookEnvironment) { ["POSTGRES_HOSTNAME"] = null });

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("bootstrap-database: no Azure Database for PostgreSQL server in this deployment (POSTGRES_HOSTNAME is not set): nothing to bootstrap\n", result.Stdout);
        Assert.Empty(_az.Calls);
    }

    [Fact]
    public async Task A_password_azd_cannot_give_fails_in_one_line_and_creates_no_job()
    {
        using var failing = new StandInAzureCli();
        failing.Print(SignedIn, "id").Print(GroupLookup, DiscoveredGroup)
            .Print(Parameter("postgres_admin"), $"\"{Admin}\"").Print(Parameter("postgres_password"), $"\"{AdminPassword}\"")
            .Print(Parameter("appdb_web_password"), $"\"{WebPassword}\"").Fail(Parameter("appdb_migrator_password"), "ERROR: key not found");

        var result = await failing.RunAsync(Hook, [], HookEnvironment);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("bootstrap-database: could not read the parameter 'appdb_migrator_password' from azd's environment " +
            "(azd env config get infra.parameters.appdb_migrator_password): provision first, with azd 1.23 or later\n", result.Stderr);
        Assert.DoesNotContain(failing.Calls, c => c.StartsWith("containerapp", StringComparison.Ordinal));
    }

    public void Dispose() => _az.Dispose();
}

/// <summary>Reads a YAML document.</summary>
internal static class Yaml
{
    public static YamlNode Load(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Single().RootNode;
    }
}
