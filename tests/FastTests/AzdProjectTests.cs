namespace FastTests;

/// <summary>
/// azure.yaml and its postdeploy hook, which runs the migrations job. The hook is run for real against a stand-in
/// <c>az</c> that answers like the Azure CLI and records what it was asked.
/// </summary>
public sealed class AzdProjectTests : IDisposable
{
    private static readonly string Root = Path.GetFullPath(Path.Combine(Projects.AppHost.ProjectPath, ".."));
    private static readonly string Hook = Path.Combine(Root, "AppHost", "infra", "hooks", "run-migrations.sh");

    private readonly string _fakeBin = Path.Combine(Path.GetTempPath(), $"fake-az-{Guid.NewGuid():N}");

    [Fact]
    public void Azure_yaml_names_the_AppHost_as_its_one_service_and_runs_the_hook_after_deploy()
    {
        var yaml = File.ReadAllText(Path.Combine(Root, "azure.yaml"));

        Assert.Contains("project: ./AppHost/AppHost.csproj", yaml);
        Assert.Contains("host: containerapp", yaml);
        Assert.Contains("language: dotnet", yaml);
        Assert.Contains("postdeploy:", yaml);
        Assert.Contains("run: ./AppHost/infra/hooks/run-migrations.sh", yaml);
        Assert.Contains("run: ./AppHost/infra/hooks/run-migrations.ps1", yaml);
        Assert.True(File.Exists(Path.Combine(Root, "AppHost", "infra", "hooks", "run-migrations.ps1")));
    }

    [Fact]
    public void Hook_is_executable_because_azd_runs_it_as_a_file()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix file modes.");
            return;
        }

        Assert.True(File.GetUnixFileMode(Hook).HasFlag(UnixFileMode.UserExecute));
    }

    // What the stand-in az answers; any other call is an error (exit 2), so the hook must send exactly these.
    private const string EnvironmentName = "test";
    private const string DiscoveredGroup = "rg-discovered-by-tag"; // not the rg-<env> fallback: the lookup must be used
    private const string JobName = "migrations-x7k2";             // not the tag value: the job is found by tag
    private const string Execution = "migrations-x7k2-exec1";

    private static readonly string[] CallsWhenAllSucceeds =
    [
        "account show --query id -o tsv --only-show-errors",
        $"group list --tag azd-env-name={EnvironmentName} --query [?managedBy==null].name -o tsv --only-show-errors",
        $"containerapp job list -g {DiscoveredGroup} --query [?tags.\"aspire-resource-name\"=='migrations'].name -o tsv --only-show-errors",
        $"containerapp job start -n {JobName} -g {DiscoveredGroup} --query name -o tsv --only-show-errors",
        .. Enumerable.Repeat(ExecutionShow(DiscoveredGroup), 2),
    ];

    private static string ExecutionShow(string group) =>
        $"containerapp job execution show -n {JobName} -g {group} --job-execution-name {Execution} --query properties.status -o tsv --only-show-errors";

    [Fact]
    public async Task Hook_finds_the_group_and_the_job_starts_it_once_polls_and_succeeds()
    {
        var result = await RunHookAsync(statuses: ["Running", "Succeeded"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(CallsWhenAllSucceeds, result.Calls);
        Assert.EndsWith("run-migrations: migrations succeeded\n", result.Stdout);
    }

    [Fact]
    public async Task Hook_takes_AZURE_RESOURCE_GROUP_without_looking_it_up()
    {
        var result = await RunHookAsync(statuses: ["Succeeded"], resourceGroup: "rg-given");

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain(result.Calls, c => c.StartsWith("group list", StringComparison.Ordinal));
        Assert.Contains($"containerapp job start -n {JobName} -g rg-given --query name -o tsv --only-show-errors", result.Calls);
    }

    [Fact]
    public async Task Hook_falls_back_to_rg_env_when_no_group_carries_the_tag()
    {
        var result = await RunHookAsync(statuses: ["Succeeded"], groups: "");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(ExecutionShow($"rg-{EnvironmentName}"), result.Calls[^1]);
    }

    [Theory]
    [InlineData("Failed")]
    [InlineData("Stopped")]
    [InlineData("Degraded")]
    public async Task Hook_fails_the_deployment_when_the_execution_does_not_succeed(string finalStatus)
    {
        var result = await RunHookAsync(statuses: ["Running", finalStatus]);

        Assert.Equal(1, result.ExitCode);
        Assert.EndsWith($"run-migrations: execution '{Execution}' ended as {finalStatus}\n", result.Stderr);
        Assert.Contains($"az containerapp job logs show -n {JobName} -g {DiscoveredGroup} --execution {Execution}", result.Stderr);
    }

    [Fact]
    public async Task Hook_fails_when_the_execution_does_not_finish_in_time()
    {
        var result = await RunHookAsync(statuses: ["Running"], timeoutSeconds: 1, pollSeconds: 1);

        Assert.Equal(1, result.ExitCode);
        Assert.EndsWith($"run-migrations: execution '{Execution}' did not finish within 1s (last status: Running)\n", result.Stderr);
        Assert.Contains("az containerapp job logs show", result.Stderr);
    }

    [Fact]
    public async Task Hook_fails_after_six_status_queries_fail_in_a_row()
    {
        var result = await RunHookAsync(statuses: ["fail"]);

        Assert.Equal(1, result.ExitCode);
        Assert.EndsWith($"run-migrations: could not read the status of execution '{Execution}' 6 times in a row\n", result.Stderr);
        Assert.Equal(6, result.Calls.Count(c => c == ExecutionShow(DiscoveredGroup)));
    }

    [Fact]
    public async Task Hook_fails_clearly_when_no_job_is_deployed()
    {
        var result = await RunHookAsync(statuses: ["Succeeded"], jobs: "");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"run-migrations: no Container Apps job tagged aspire-resource-name=migrations in resource group '{DiscoveredGroup}'\n", result.Stderr);
        Assert.DoesNotContain(result.Calls, c => c.StartsWith("containerapp job start", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Hook_fails_clearly_when_the_Azure_CLI_fails()
    {
        var result = await RunHookAsync(statuses: ["Succeeded"], jobs: "fail");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("ERROR: (AuthorizationFailed) no access\n" +
            $"run-migrations: could not list the Container Apps jobs of resource group '{DiscoveredGroup}' (see the az error above)\n", result.Stderr);
    }

    /// <summary>
    /// Runs the hook against a stand-in <c>az</c> that answers the exact calls of <see cref="CallsWhenAllSucceeds"/>
    /// (with <paramref name="resourceGroup"/>, when given, in place of the discovered group) and records every call. The
    /// execution reports <paramref name="statuses"/> one per poll, the last one repeating; <c>fail</c> fails that query.
    /// </summary>
    private async Task<(int ExitCode, string Stdout, string Stderr, string[] Calls)> RunHookAsync(string[] statuses,
        string groups = DiscoveredGroup, string jobs = JobName, string? resourceGroup = null, int timeoutSeconds = 60, int pollSeconds = 0)
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("The hook under test is the POSIX one.");
            return default;
        }

        Directory.CreateDirectory(_fakeBin);
        var calls = Path.Combine(_fakeBin, "calls.log");
        var polls = Path.Combine(_fakeBin, "polls");
        var group = resourceGroup ?? (groups.Length > 0 ? groups : $"rg-{EnvironmentName}");
        string[] expected = [.. CallsWhenAllSucceeds.Take(4).Select(c => c.Replace($"-g {DiscoveredGroup} ", $"-g {group} ", StringComparison.Ordinal))];
        var az = Path.Combine(_fakeBin, "az");
        await File.WriteAllTextAsync(az, $$"""
            #!/bin/sh
            printf '%s\n' "$*" >> '{{calls}}'
            case "$*" in
              '{{expected[0]}}') echo 00000000-0000-0000-0000-000000000000 ;;
              '{{expected[1]}}') [ -z '{{groups}}' ] || echo '{{groups}}' ;;
              '{{expected[2].Replace("'", @"'\''")}}')
                case '{{jobs}}' in
                  fail) echo "ERROR: (AuthorizationFailed) no access" >&2; exit 1 ;;
                  "") ;;
                  *) echo '{{jobs}}' ;;
                esac ;;
              '{{expected[3]}}') echo {{Execution}} ;;
              '{{ExecutionShow(group)}}')
                n=$(cat '{{polls}}' 2>/dev/null || echo 0); echo $((n + 1)) > '{{polls}}'
                set -- {{string.Join(' ', statuses)}}
                while [ "$n" -gt 0 ] && [ $# -gt 1 ]; do shift; n=$((n - 1)); done
                if [ "$1" = fail ]; then echo "ERROR: throttled" >&2; exit 1; fi
                echo "$1" ;;
              *) echo "unexpected az call: $*" >&2; exit 2 ;;
            esac
            """, TestContext.Current.CancellationToken);
        File.SetUnixFileMode(az, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var (exitCode, stdout, stderr) = await ChildProcess.RunAsync("sh", [Hook], startInfo =>
        {
            startInfo.Environment["PATH"] = _fakeBin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
            startInfo.Environment["AZURE_ENV_NAME"] = EnvironmentName;
            startInfo.Environment["MIGRATIONS_JOB_POLL_SECONDS"] = pollSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            startInfo.Environment["MIGRATIONS_JOB_TIMEOUT_SECONDS"] = timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            startInfo.Environment.Remove("AZURE_SUBSCRIPTION_ID");
            if (resourceGroup is null)
            {
                startInfo.Environment.Remove("AZURE_RESOURCE_GROUP");
            }
            else
            {
                startInfo.Environment["AZURE_RESOURCE_GROUP"] = resourceGroup;
            }
        });

        return (exitCode, stdout, stderr, File.Exists(calls) ? await File.ReadAllLinesAsync(calls, TestContext.Current.CancellationToken) : []);
    }

    public void Dispose()
    {
        if (Directory.Exists(_fakeBin))
        {
            Directory.Delete(_fakeBin, recursive: true);
        }
    }
}
