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

    [Fact]
    public async Task Hook_starts_the_job_once_waits_and_succeeds_when_the_execution_succeeds()
    {
        var result = await RunHookAsync(finalStatus: "Succeeded");

        Assert.Equal(0, result.ExitCode);
        Assert.Single(result.Calls, c => c.StartsWith("containerapp job start -n migrations -g rg-test", StringComparison.Ordinal));
        Assert.Contains("migrations succeeded", result.Output);
    }

    [Theory]
    [InlineData("Failed")]
    [InlineData("Stopped")]
    public async Task Hook_fails_the_deployment_when_the_execution_does_not_succeed(string finalStatus)
    {
        var result = await RunHookAsync(finalStatus);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"ended as {finalStatus}", result.Output);
        Assert.Contains("az containerapp job logs show", result.Output); // says where to look
    }

    [Fact]
    public async Task Hook_fails_clearly_when_no_job_is_deployed()
    {
        var result = await RunHookAsync("Succeeded", jobs: "");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no Container Apps job tagged aspire-resource-name=migrations", result.Output);
        Assert.DoesNotContain(result.Calls, c => c.StartsWith("containerapp job start", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Hook_fails_clearly_when_the_Azure_CLI_fails()
    {
        var result = await RunHookAsync("Succeeded", jobs: "fail");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("could not list the Container Apps jobs of resource group 'rg-test'", result.Output);
        Assert.Contains("AuthorizationFailed", result.Output);
    }

    private async Task<(int ExitCode, string Output, string[] Calls)> RunHookAsync(string finalStatus, string jobs = "migrations")
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("The hook under test is the POSIX one.");
            return default;
        }

        Directory.CreateDirectory(_fakeBin);
        var calls = Path.Combine(_fakeBin, "calls.log");
        var az = Path.Combine(_fakeBin, "az");
        // Answers what the hook asks, in the output format it asks for (-o tsv); the execution runs once, then ends.
        await File.WriteAllTextAsync(az, $$"""
            #!/bin/sh
            echo "$*" >> '{{calls}}'
            case "$*" in
              "account show"*) echo 00000000-0000-0000-0000-000000000000 ;;
              "group list"*) echo rg-test ;;
              "containerapp job list"*)
                case '{{jobs}}' in
                  "") ;;
                  fail) echo "ERROR: (AuthorizationFailed) no access" >&2; exit 1 ;;
                  *) echo '{{jobs}}' ;;
                esac ;;
              "containerapp job start"*) echo migrations-exec1 ;;
              "containerapp job execution show"*)
                if [ -f '{{_fakeBin}}/ran' ]; then echo {{finalStatus}}; else touch '{{_fakeBin}}/ran'; echo Running; fi ;;
              *) echo "unexpected: $*" >&2; exit 2 ;;
            esac
            """, TestContext.Current.CancellationToken);
        File.SetUnixFileMode(az, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var (exitCode, stdout, stderr) = await ChildProcess.RunAsync("sh", [Hook], startInfo =>
        {
            startInfo.Environment["PATH"] = _fakeBin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
            startInfo.Environment["AZURE_ENV_NAME"] = "test";
            startInfo.Environment["MIGRATIONS_JOB_POLL_SECONDS"] = "0";
            startInfo.Environment.Remove("AZURE_RESOURCE_GROUP");
            startInfo.Environment.Remove("AZURE_SUBSCRIPTION_ID");
        });

        return (exitCode, stdout + stderr,
            File.Exists(calls) ? await File.ReadAllLinesAsync(calls, TestContext.Current.CancellationToken) : []);
    }

    public void Dispose()
    {
        if (Directory.Exists(_fakeBin))
        {
            Directory.Delete(_fakeBin, recursive: true);
        }
    }
}
