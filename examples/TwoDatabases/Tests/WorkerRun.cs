using System.Diagnostics;
using System.Reflection;

namespace Tests;

/// <summary>
/// The worker run standalone — as a CI step, a Kubernetes Job or the rollback job runs it — with the connection strings
/// the AppHost gives the <c>migrations</c> resource (each database's admin and web logins) and nothing else of the test's
/// environment.
/// </summary>
public static class WorkerRun
{
    /// <summary>The worker's output and exit code.</summary>
    public sealed record Result(int ExitCode, string Output);

    /// <summary>Runs the worker to its end within <see cref="Deadline.Bound"/> (a hang kills it and fails the test).</summary>
    public static async Task<Result> RunAsync(DistributedApplication app, IEnumerable<string> args, IDictionary<string, string>? settings = null)
    {
        var connectionStrings = new Dictionary<string, string>();
        foreach (var name in (string[])["ordersdb", "ordersdb-web", "accountsdb", "accountsdb-web"])
        {
            connectionStrings[$"ConnectionStrings__{name}"] = (await app.GetConnectionStringAsync(name, TestContext.Current.CancellationToken))!;
        }

        var startInfo = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        startInfo.ArgumentList.Add(Program);
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        foreach (var key in startInfo.Environment.Keys.Where(k => k.StartsWith("ConnectionStrings__", StringComparison.Ordinal) || k.StartsWith("OTEL_", StringComparison.Ordinal)).ToList())
        {
            startInfo.Environment.Remove(key);
        }

        foreach (var (key, value) in connectionStrings)
        {
            startInfo.Environment[key] = value;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            startInfo.Environment[key] = value;
        }

        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = Deadline.Start();
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new Result(process.ExitCode, await stdout + await stderr);
    }

    // The worker's build output, as MSBuild resolved the project reference (Tests.csproj, RecordProjectOutputs).
    private static string Program => typeof(WorkerRun).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "ProjectOutput:Migrator").Value!;
}
