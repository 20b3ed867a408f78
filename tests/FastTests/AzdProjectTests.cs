using YamlDotNet.RepresentationModel;

namespace FastTests;

/// <summary>
/// azure.yaml (read as YAML) and its postdeploy hook, which only checks that the web app's new revision turned ready (its init
/// container migrated first). The hook runs for real against a stand-in <c>az</c> that answers only the exact calls the
/// hook must send.
/// </summary>
public sealed class AzdProjectTests : IDisposable
{
    private static readonly string Root = Path.GetFullPath(Path.Combine(Projects.AppHost.ProjectPath, ".."));
    internal static readonly string Scripts = Path.Combine(Root, "AppHost", "infra", "scripts");
    private static readonly string Hook = Path.Combine(Scripts, "verify-webapp-revision.sh");

    private readonly StandInAzureCli _az = new();

    [Fact]
    public void Azure_yaml_names_the_AppHost_as_its_one_service_bootstraps_after_provision_and_checks_the_revision_after_deploy()
    {
        var yaml = (YamlMappingNode)Yaml.Load(File.ReadAllText(Path.Combine(Root, "azure.yaml")));
        string Value(params string[] path) => ((YamlScalarNode)path.Aggregate((YamlNode)yaml, (node, key) => ((YamlMappingNode)node).Children[new YamlScalarNode(key)])).Value!;
        IEnumerable<string> Keys(params string[] path) => ((YamlMappingNode)path.Aggregate((YamlNode)yaml, (node, key) => ((YamlMappingNode)node).Children[new YamlScalarNode(key)]))
            .Children.Keys.Select(k => ((YamlScalarNode)k).Value!);

        Assert.Equal(["app"], Keys("services"));
        Assert.Equal("./AppHost/AppHost.csproj", Value("services", "app", "project"));
        Assert.Equal("containerapp", Value("services", "app", "host"));
        Assert.Equal("dotnet", Value("services", "app", "language"));
        // The hooks' generated passwords come from `azd env config get`.
        Assert.Equal(">= 1.23.0", Value("requiredVersions", "azd"));
        // Project-level hooks only (azd carries no service-level hook over to services derived from an AppHost).
        Assert.Equal(["postprovision", "postdeploy"], Keys("hooks"));
        foreach (var (hook, script) in new[] { ("postprovision", "bootstrap-database"), ("postdeploy", "verify-webapp-revision") })
        {
            Assert.Equal(["posix", "windows"], Keys("hooks", hook));
            Assert.Equal("sh", Value("hooks", hook, "posix", "shell"));
            Assert.Equal($"./AppHost/infra/scripts/{script}.sh", Value("hooks", hook, "posix", "run"));
            Assert.Equal("pwsh", Value("hooks", hook, "windows", "shell"));
            Assert.Equal($"./AppHost/infra/scripts/{script}.ps1", Value("hooks", hook, "windows", "run"));
            Assert.True(File.Exists(Path.Combine(Scripts, $"{script}.sh")) && File.Exists(Path.Combine(Scripts, $"{script}.ps1")), script);
        }
    }

    [Fact]
    public void Azds_environments_are_kept_out_of_git()
    {
        var ignored = File.ReadAllLines(Path.Combine(Root, ".gitignore"));

        Assert.Contains(".azure/", ignored);
    }

    [Theory]
    [InlineData("verify-webapp-revision.sh")]
    [InlineData("run-migrations-job.sh")]
    [InlineData("bootstrap-database.sh")]
    public void Scripts_are_executable_because_azd_and_operators_run_them_as_files(string script)
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix file modes.");
            return;
        }

        Assert.True(File.GetUnixFileMode(Path.Combine(Scripts, script)).HasFlag(UnixFileMode.UserExecute));
    }

    // What the stand-in az answers; any other call is an error (exit 2), so the hook must send exactly these.
    internal const string EnvironmentName = "test";
    internal const string DiscoveredGroup = "rg-discovered-by-tag"; // not the rg-<env> fallback: the lookup must be used
    private const string App = "webapp-x7k2";                        // not the tag value: the app is found by tag
    private const string Revision = "webapp-x7k2--0000003";

    internal static readonly string SignedIn = "account show --query id -o tsv --only-show-errors";
    internal static readonly string GroupLookup =
        $"group list --tag azd-env-name={EnvironmentName} --query [?managedBy==null].name -o tsv --only-show-errors";
    private static string AppLookup(string group) =>
        $"containerapp list -g {group} --query [?tags.\"aspire-resource-name\"=='webapp'].name -o tsv --only-show-errors";
    private static string LatestRevision(string group) =>
        $"containerapp show -n {App} -g {group} --query properties.latestRevisionName -o tsv --only-show-errors";
    private static string LatestReadyRevision(string group) =>
        $"containerapp show -n {App} -g {group} --query properties.latestReadyRevisionName -o tsv --only-show-errors";
    private static string RevisionState(string group) =>
        $"containerapp revision show -n {App} -g {group} --revision {Revision} --query \"[properties.provisioningState, properties.runningState]\" -o tsv --only-show-errors"; // one argument

    private static readonly Dictionary<string, string?> HookEnvironment = new()
    {
        ["AZURE_ENV_NAME"] = EnvironmentName,
        ["WEBAPP_REVISION_POLL_SECONDS"] = "0",
        ["WEBAPP_REVISION_TIMEOUT_SECONDS"] = "60",
    };

    /// <summary>The subscription azd deployed to, as azd gives it to hooks (<c>AZURE_SUBSCRIPTION_ID</c>).</summary>
    internal const string Subscription = "11111111-2222-3333-4444-555555555555";

    /// <summary><paramref name="call"/> as the scripts send it when azd gave them <see cref="Subscription"/>.</summary>
    internal static string InSubscription(string call) =>
        call.Replace(" --only-show-errors", $" --subscription {Subscription} --only-show-errors", StringComparison.Ordinal);

    /// <summary>
    /// The stand-in for a web app whose latest revision reports <paramref name="ready"/> and <paramref name="states"/>, one
    /// per poll; with <paramref name="call"/>, each call as it gives it.
    /// </summary>
    private StandInAzureCli WebApp(string[] ready, string[] states, string group = DiscoveredGroup, string? groups = DiscoveredGroup,
        Func<string, string>? call = null)
    {
        call ??= c => c;
        return _az.Print(call(SignedIn), "00000000-0000-0000-0000-000000000000")
            .Print(call(GroupLookup), groups is null ? [] : [groups])
            .Print(call(AppLookup(group)), App)
            .Print(call(LatestRevision(group)), Revision)
            .Sequence(call(LatestReadyRevision(group)), ready)
            .Sequence(call(RevisionState(group)), states);
    }

    [Fact]
    public async Task Hook_waits_for_the_new_revision_to_turn_ready_and_succeeds()
    {
        WebApp(ready: ["webapp-x7k2--0000002", Revision], states: ["Provisioning\nActivating"]);

        var result = await _az.RunAsync(Hook, [], HookEnvironment);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal([SignedIn, GroupLookup, AppLookup(DiscoveredGroup), LatestRevision(DiscoveredGroup),
            LatestReadyRevision(DiscoveredGroup), RevisionState(DiscoveredGroup), LatestReadyRevision(DiscoveredGroup), RevisionState(DiscoveredGroup)],
            _az.Calls);
        Assert.Equal(
            $"verify-webapp-revision: waiting up to 60s for revision '{Revision}' of '{App}' to turn ready (its init container migrates first)\n" +
            $"verify-webapp-revision: revision '{Revision}': Provisioning, Activating\n" +
            $"verify-webapp-revision: revision '{Revision}' is ready: the migrations succeeded and it takes the traffic\n", result.Stdout);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public async Task Given_the_subscription_azd_deployed_to_every_call_names_it()
    {
        WebApp(ready: [Revision], states: ["Provisioned\nRunning"], call: InSubscription);

        var result = await _az.RunAsync(Hook, [], new Dictionary<string, string?>(HookEnvironment) { ["AZURE_SUBSCRIPTION_ID"] = Subscription });

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(
            [.. new[] { SignedIn, GroupLookup, AppLookup(DiscoveredGroup), LatestRevision(DiscoveredGroup), LatestReadyRevision(DiscoveredGroup), RevisionState(DiscoveredGroup) }
                .Select(InSubscription)],
            _az.Calls);
    }

    [Fact]
    public async Task Hook_takes_AZURE_RESOURCE_GROUP_without_looking_it_up()
    {
        WebApp(ready: [Revision], states: ["Provisioned\nRunning"], group: "rg-given");

        var result = await _az.RunAsync(Hook, [], new Dictionary<string, string?>(HookEnvironment) { ["AZURE_RESOURCE_GROUP"] = "rg-given" });

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain(GroupLookup, _az.Calls);
        Assert.Contains(AppLookup("rg-given"), _az.Calls);
    }

    [Fact]
    public async Task Hook_falls_back_to_rg_env_when_no_group_carries_the_tag()
    {
        WebApp(ready: [Revision], states: ["Provisioned\nRunning"], group: $"rg-{EnvironmentName}", groups: null);

        var result = await _az.RunAsync(Hook, [], HookEnvironment);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(RevisionState($"rg-{EnvironmentName}"), _az.Calls[^1]);
    }

    [Theory]
    [InlineData("Failed\nFailed", "Failed, Failed")]
    [InlineData("Provisioned\nFailed", "Provisioned, Failed")]
    [InlineData("Provisioning\nDegraded", "Provisioning, Degraded")]
    public async Task Hook_fails_the_deployment_with_where_the_migrations_logs_are_when_the_revision_fails(string state, string shown)
    {
        WebApp(ready: ["webapp-x7k2--0000002"], states: ["Provisioning\nActivating", state]);

        var result = await _az.RunAsync(Hook, [], HookEnvironment);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $"verify-webapp-revision: the migration's output is in the init container 'migrations' of revision '{Revision}':\n" +
            $"  az containerapp logs show -n {App} -g {DiscoveredGroup} --revision {Revision} --container migrations --tail 100\n" +
            $"  or in Log Analytics: ContainerAppConsoleLogs_CL | where RevisionName_s == '{Revision}' and ContainerName_s == 'migrations'\n" +
            "verify-webapp-revision: the previous revision keeps serving; fix the cause and deploy again.\n" +
            $"verify-webapp-revision: revision '{Revision}' did not turn ready ({shown})\n", result.Stderr);
    }

    [Fact]
    public async Task Hook_fails_when_the_revision_does_not_turn_ready_in_time()
    {
        WebApp(ready: ["webapp-x7k2--0000002"], states: ["Provisioning\nActivating"]);

        var result = await _az.RunAsync(Hook, [], new Dictionary<string, string?>(HookEnvironment)
        {
            ["WEBAPP_REVISION_TIMEOUT_SECONDS"] = "1",
            ["WEBAPP_REVISION_POLL_SECONDS"] = "1",
        });

        Assert.Equal(1, result.ExitCode);
        Assert.EndsWith($"verify-webapp-revision: revision '{Revision}' did not turn ready within 1s (last state: Provisioning/Activating)\n", result.Stderr);
        Assert.Contains($"--revision {Revision} --container migrations", result.Stderr);
    }

    [Fact]
    public async Task Hook_fails_after_six_state_queries_fail_in_a_row()
    {
        WebApp(ready: ["fail"], states: ["Provisioning\nActivating"]);

        var result = await _az.RunAsync(Hook, [], HookEnvironment);

        Assert.Equal(1, result.ExitCode);
        Assert.EndsWith($"verify-webapp-revision: could not read the state of revision '{Revision}' 6 times in a row\n", result.Stderr);
        Assert.Equal(6, _az.Calls.Count(c => c == LatestReadyRevision(DiscoveredGroup)));
    }

    [Fact]
    public async Task Hook_stops_at_once_on_SIGTERM_and_touches_nothing()
    {
        WebApp(ready: ["webapp-x7k2--0000002"], states: ["Provisioning\nActivating"]);
        await using var hook = _az.Start(Hook, [], new Dictionary<string, string?>(HookEnvironment) { ["WEBAPP_REVISION_POLL_SECONDS"] = "300" });

        var result = await _az.TerminateAfterAsync(hook, RevisionState(DiscoveredGroup));

        Assert.Equal(143, result.ExitCode);
        Assert.Equal("verify-webapp-revision: interrupted; the revision carries on in Azure Container Apps (nothing to stop)\n", result.Stderr);
        Assert.Equal(RevisionState(DiscoveredGroup), _az.Calls[^1]); // no call after the signal
    }

    [Fact]
    public async Task Hook_fails_clearly_when_no_web_app_is_deployed()
    {
        _az.Print(SignedIn, "id").Print(GroupLookup, DiscoveredGroup).Print(AppLookup(DiscoveredGroup));

        var result = await _az.RunAsync(Hook, [], HookEnvironment);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"verify-webapp-revision: no containerapp tagged aspire-resource-name=webapp in resource group '{DiscoveredGroup}'\n", result.Stderr);
    }

    [Fact]
    public async Task Hook_fails_clearly_when_the_Azure_CLI_fails()
    {
        _az.Print(SignedIn, "id").Print(GroupLookup, DiscoveredGroup).Fail(AppLookup(DiscoveredGroup), "ERROR: (AuthorizationFailed) no access");

        var result = await _az.RunAsync(Hook, [], HookEnvironment);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("ERROR: (AuthorizationFailed) no access\n" +
            $"verify-webapp-revision: could not list the containerapps of resource group '{DiscoveredGroup}' (see the az error above)\n", result.Stderr);
    }

    public void Dispose() => _az.Dispose();
}
