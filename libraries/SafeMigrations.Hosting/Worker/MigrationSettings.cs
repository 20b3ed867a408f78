using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace SafeMigrations.Hosting;

/// <summary>What the AppHost's own <c>Migrations:*</c> configuration tells the worker.</summary>
internal static class MigrationSettings
{
    /// <summary>What the AppHost passes on to the worker when set: the target, and the consents and repair of the guards.</summary>
    internal static readonly string[] ForwardedKeys = ["Target", "AllowDataLoss", "AllowOutOfOrder", "Repair"];

    /// <summary>
    /// Forwards <c>Migrations:Target</c> (and <c>AllowDataLoss</c>, <c>AllowOutOfOrder</c>, <c>Repair</c>) to the worker,
    /// so <c>dotnet run --project AppHost -- --Migrations:Target=&lt;migration&gt;</c> rolls a development database back
    /// (or forward) to exactly that migration. Unset: the worker migrates to the latest (and seeds a new database).
    /// </summary>
    /// <remarks>
    /// Refused when publishing: deployed, the worker runs in every new web app revision before the web app starts, and a
    /// revision that migrates down would never turn ready. A rollback in the cloud is an explicit run of the job.
    /// </remarks>
    public static void Forward(IResourceBuilder<ProjectResource> worker, MigrationWorkerOptions options)
    {
        foreach (var key in ForwardedKeys)
        {
            if (worker.ApplicationBuilder.Configuration[$"Migrations:{key}"] is not { Length: > 0 } value)
            {
                continue;
            }

            if (worker.ApplicationBuilder.ExecutionContext.IsPublishMode)
            {
                throw new SafeMigrationsSettingException(
                    $"Migrations:{key}={value} is not deployed: every new web app revision migrates to the latest before it starts. " +
                    RunInTheCloud(worker.Resource.Name, key == "Target" ? $"--target {value}" : null, options));
            }

            worker.WithEnvironment($"Migrations__{key}", value);
        }
    }

    private static string RunInTheCloud(string worker, string? target, MigrationWorkerOptions options)
    {
        var documentation = options.JobRunnerDocumentation is { } page ? $" (see {page})" : "";
        return (target, options.JobRunner) switch
        {
            ({ } arguments, { } runner) => $"Roll back with {runner} {arguments}{documentation}.",
            ({ } arguments, null) => $"Roll back with a run of the '{worker}' job: {arguments}{documentation}.",
            (null, { } runner) => $"Give the worker's flag to {runner} instead{documentation}.",
            (null, null) => $"Give the worker's flag to a run of the '{worker}' job instead{documentation}.",
        };
    }
}
