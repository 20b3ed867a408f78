using System.Text.RegularExpressions;
using static FastTests.AzdProjectTests;

namespace FastTests;

/// <summary>
/// <c>run-migrations-job.sh</c>, the one way a deployment's worker runs with explicit arguments (a rollback): run for
/// real against a stand-in <c>az</c> that answers only the exact calls the script must send.
/// </summary>
public sealed class MigrationsJobScriptTests : IDisposable
{
    private static readonly string Script = Path.Combine(Scripts, "run-migrations-job.sh");

    private const string Job = "migrations-x7k2";           // not the tag value: the job is found by tag
    private const string JobImage = "acr.example.io/aspire-database-migrations/migrations-test:azd-deploy-1733000000";
    private const string Execution = "migrations-x7k2-exec1";

    private static readonly string JobLookup =
        $"containerapp job list -g {DiscoveredGroup} --query [?tags.\"aspire-resource-name\"=='migrations'].name -o tsv --only-show-errors";
    private static readonly string ImageLookup =
        $"containerapp job show -n {Job} -g {DiscoveredGroup} --query properties.template.containers[0].image -o tsv --only-show-errors";
    // The template's path is a new temporary file each time: the stand-in takes any, and the calls show it as <file>.
    private static readonly string Start = $"containerapp job start -n {Job} -g {DiscoveredGroup} --yaml <file> --query name -o tsv --only-show-errors";
    private static readonly string Status =
        $"containerapp job execution show -n {Job} -g {DiscoveredGroup} --job-execution-name {Execution} --query properties.status -o tsv --only-show-errors";
    private static readonly string Logs =
        $"containerapp job logs show -n {Job} -g {DiscoveredGroup} --execution {Execution} --container migrations --format text --tail 300 --only-show-errors";
    private static readonly string Stop =
        $"containerapp job stop -n {Job} -g {DiscoveredGroup} --job-execution-name {Execution} --only-show-errors";

    private static readonly Dictionary<string, string?> ScriptEnvironment = new()
    {
        ["AZURE_ENV_NAME"] = EnvironmentName,
        ["MIGRATIONS_JOB_POLL_SECONDS"] = "0",
        ["MIGRATIONS_JOB_TIMEOUT_SECONDS"] = "60",
    };

    private readonly StandInAzureCli _az = new();

    private string StartedWith => Path.GetFullPath(Path.Combine(_az.TemporaryDirectory, "..", "execution.yaml"));

    private IEnumerable<string> CallsWithFilesNamed() =>
        _az.Calls.Select(c => Regex.Replace(c, $"{Regex.Escape(_az.TemporaryDirectory)}/[^ ]+/execution.yaml", "<file>"));

    /// <summary>The stand-in for the job; the execution reports <paramref name="statuses"/>, one per poll; its logs are <paramref name="logs"/> (null: unreadable).</summary>
    private StandInAzureCli JobWith(string[] statuses, string? logs = "info: AppDbContext: 1 migration(s) applied")
    {
        _az.Print(SignedIn, "00000000-0000-0000-0000-000000000000")
            .Print(GroupLookup, DiscoveredGroup)
            .Print(JobLookup, Job)
            .Print(ImageLookup, JobImage)
            // Keeps the execution template the script wrote, to compare it whole.
            .Answer(Start.Replace("<file>", "*", StringComparison.Ordinal),
                $"while [ $# -gt 0 ]; do [ \"$1\" != --yaml ] || cp \"$2\" '{StartedWith}'; shift; done; echo {Execution}")
            .Sequence(Status, statuses)
            .Print(Stop, $"Job Execution: {Execution}, stopped successfully.");
        return logs is null ? _az.Fail(Logs, "ERROR: no logs") : _az.Print(Logs, logs);
    }

    private static string ExecutionTemplate(string image, params string[] quotedArguments) =>
        "containers:\n" +
        "  - name: migrations\n" +
        $"    image: '{image}'\n" +
        "    args:\n" +
        string.Concat(quotedArguments.Select(a => $"      - {a}\n")) +
        "    env:\n" +
        "      - name: ConnectionStrings__appdb\n" +
        "        secretRef: appdb-connection-string\n" +
        "      - name: ConnectionStrings__appdb-web\n" +
        "        secretRef: appdb-web-connection-string\n" +
        "    resources:\n" +
        "      cpu: 0.5\n" +
        "      memory: 1Gi\n";

    [Fact]
    public async Task Runs_one_execution_with_the_jobs_image_and_exactly_the_arguments_given_and_succeeds()
    {
        JobWith(statuses: ["Running", "Succeeded"]);

        var result = await _az.RunAsync(Script, ["--target", "InitialSchema"], ScriptEnvironment);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal([SignedIn, GroupLookup, JobLookup, ImageLookup, Start, Status, Status, Logs], CallsWithFilesNamed());
        Assert.Equal(ExecutionTemplate(JobImage, "'--target'", "'InitialSchema'"), await File.ReadAllTextAsync(StartedWith, TestContext.Current.CancellationToken));
        Assert.Equal(
            $"run-migrations-job: starting job '{Job}' in resource group '{DiscoveredGroup}' with image '{JobImage}' and arguments: --target InitialSchema\n" +
            $"run-migrations-job: execution '{Execution}' started; waiting up to 60s\n" +
            "run-migrations-job: execution status: Running\n" +
            "run-migrations-job: execution status: Succeeded\n" +
            "info: AppDbContext: 1 migration(s) applied\n" +
            $"run-migrations-job: execution '{Execution}' succeeded\n", result.Stdout);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_az.TemporaryDirectory)); // the template's folder is gone
    }

    [Fact]
    public async Task Image_given_is_the_image_run_and_arguments_stay_single_arguments()
    {
        JobWith(statuses: ["Succeeded"]);
        const string image = "acr.example.io/aspire-database-migrations/migrations-test:azd-deploy-1732000000";

        var result = await _az.RunAsync(Script, ["--image", image, "--target", "it's 0"], ScriptEnvironment);

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain(ImageLookup, _az.Calls);
        Assert.Equal(ExecutionTemplate(image, "'--target'", "'it''s 0'"), await File.ReadAllTextAsync(StartedWith, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_execution_repeats_the_jobs_container_secrets_and_resources()
    {
        using var manifest = await PublishedManifest.PublishAsync();
        var template = await BicepCli.BuildAsync(Path.Combine(manifest.Directory, "migrations.module.bicep"));
        JobWith(statuses: ["Succeeded"]);
        await _az.RunAsync(Script, ["--list"], ScriptEnvironment);

        // An execution that names its image replaces the job's container: what the script sends must match the job.
        var job = ArmTemplate.Resources(template).Single();
        var container = job["properties"]!["template"]!["containers"]![0]!;
        Assert.Equal("migrations", (string?)container["name"]);
        Assert.Equal([("ConnectionStrings__appdb", "appdb-connection-string"), ("ConnectionStrings__appdb-web", "appdb-web-connection-string")],
            container["env"]!.AsArray().Select(e => ((string)e!["name"]!, ArmTemplate.Variable(template, (string)e["secretRef"]!))));
        Assert.Equal(("[json('0.5')]", "1Gi"), ((string?)container["resources"]!["cpu"], (string?)container["resources"]!["memory"]));
        Assert.Equal(ExecutionTemplate(JobImage, "'--list'"), await File.ReadAllTextAsync(StartedWith, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("A lock wait timed out: AppDbContext migration 20261129094731_AddUpdatedAt waited longer than Migrations:LockTimeout")]
    [InlineData("Migration failed: 55P03: canceling statement due to lock timeout. Migrations that completed before it stay applied")]
    public async Task A_lock_wait_timeout_is_reported_as_such(string workerLine)
    {
        JobWith(statuses: ["Running", "Failed"], logs: $"fail: SafeMigrations.Worker.MigrationWorkerBuilder[0]\n      {workerLine}");

        var result = await _az.RunAsync(Script, ["--target", "AddDueDate"], ScriptEnvironment);

        Assert.Equal(1, result.ExitCode);
        Assert.EndsWith(
            $"run-migrations-job: execution '{Execution}' failed: the worker gave up waiting for a lock (lock wait timed out) and rolled that migration back; run it again when the load is lower\n",
            result.Stderr);
        Assert.StartsWith("fail: SafeMigrations.Worker.MigrationWorkerBuilder[0]\n", result.Stderr); // the worker's own lines come first
        Assert.DoesNotContain(Stop, _az.Calls);
    }

    [Theory]
    [InlineData("Failed")]
    [InlineData("Stopped")]
    [InlineData("Degraded")]
    public async Task Any_other_failure_shows_the_workers_output_and_fails(string status)
    {
        JobWith(statuses: ["Running", status], logs: "fail: SafeMigrations.Worker.MigrationWorkerBuilder[0]\n      Migration failed: 42P07: relation \"Todos\" already exists");

        var result = await _az.RunAsync(Script, ["--target", "AddDueDate"], ScriptEnvironment);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("fail: SafeMigrations.Worker.MigrationWorkerBuilder[0]\n      Migration failed: 42P07: relation \"Todos\" already exists\n" +
            $"run-migrations-job: execution '{Execution}' ended as {status}\n", result.Stderr);
    }

    [Fact]
    public async Task Unreadable_logs_give_where_to_read_them()
    {
        JobWith(statuses: ["Failed"], logs: null);

        var result = await _az.RunAsync(Script, ["--target", "AddDueDate"], ScriptEnvironment);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("run-migrations-job: to read the execution's logs:\n" +
            $"  az containerapp job logs show -n {Job} -g {DiscoveredGroup} --execution {Execution} --container migrations\n" +
            $"  or in Log Analytics: ContainerAppConsoleLogs_CL | where ContainerJobName_s == '{Job}' and ContainerGroupName_s startswith '{Execution}'\n" +
            $"run-migrations-job: execution '{Execution}' ended as Failed\n", result.Stderr);
    }

    [Fact]
    public async Task A_timeout_stops_the_execution()
    {
        JobWith(statuses: ["Running"]);

        var result = await _az.RunAsync(Script, ["--target", "AddDueDate"], new Dictionary<string, string?>(ScriptEnvironment)
        {
            ["MIGRATIONS_JOB_TIMEOUT_SECONDS"] = "1",
            ["MIGRATIONS_JOB_POLL_SECONDS"] = "1",
        });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(Stop, _az.Calls);
        Assert.StartsWith($"run-migrations-job: execution '{Execution}' stopped\n", result.Stderr);
        Assert.EndsWith($"run-migrations-job: execution '{Execution}' did not finish within 1s and was stopped (last status: Running)\n", result.Stderr);
    }

    [Fact]
    public async Task SIGTERM_stops_the_execution_before_the_script_ends()
    {
        JobWith(statuses: ["Running"]);
        await using var script = _az.Start(Script, ["--target", "AddDueDate"],
            new Dictionary<string, string?>(ScriptEnvironment) { ["MIGRATIONS_JOB_POLL_SECONDS"] = "300" });

        var result = await _az.TerminateAfterAsync(script, Status);

        Assert.Equal(143, result.ExitCode);
        Assert.Equal(Stop, _az.Calls[^1]);
        Assert.Equal($"run-migrations-job: interrupted; stopping execution '{Execution}'\nrun-migrations-job: execution '{Execution}' stopped\n", result.Stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_az.TemporaryDirectory));
    }

    [Fact]
    public async Task Without_worker_arguments_it_says_how_to_use_it_and_calls_nothing()
    {
        var result = await _az.RunAsync(Script, [], ScriptEnvironment);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("run-migrations-job: usage: run-migrations-job.sh [--image <image>] <worker arguments>, e.g. --target <migration> (see docs/deploy.md)\n",
            result.Stderr);
        Assert.Empty(_az.Calls);
    }

    public void Dispose() => _az.Dispose();
}
