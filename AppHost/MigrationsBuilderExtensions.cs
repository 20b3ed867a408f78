using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

namespace AppHost;

/// <summary>How the AppHost tells the migration worker what to do.</summary>
internal static class MigrationsBuilderExtensions
{
    /// <summary>What the AppHost passes on to the worker when set: the target, and the consents and repair of the guards.</summary>
    internal static readonly string[] ForwardedKeys = ["Target", "AllowDataLoss", "AllowOutOfOrder", "Repair"];

    /// <summary>
    /// Forwards the AppHost's <c>Migrations:Target</c> (and <c>Migrations:AllowDataLoss</c>, <c>Migrations:AllowOutOfOrder</c>,
    /// <c>Migrations:Repair</c>) to the worker, so <c>dotnet run --project AppHost -- --Migrations:Target=&lt;migration&gt;</c>
    /// rolls a development database back (or forward) to exactly that migration. Unset: the worker migrates to the latest (and seeds a new database).
    /// </summary>
    /// <remarks>
    /// Refused when publishing: deployed, the worker runs in every new web app revision before the web app starts, and a
    /// revision that migrates down would never turn ready. A rollback in the cloud is an explicit run of the migrations
    /// job (<c>infra/scripts/run-migrations-job.sh</c>, see docs/deploy.md).
    /// </remarks>
    public static IResourceBuilder<ProjectResource> WithMigrationTarget(this IResourceBuilder<ProjectResource> worker)
    {
        foreach (var key in ForwardedKeys)
        {
            if (worker.ApplicationBuilder.Configuration[$"Migrations:{key}"] is not { Length: > 0 } value)
            {
                continue;
            }

            if (worker.ApplicationBuilder.ExecutionContext.IsPublishMode)
            {
                throw new AppHostSettingException(
                    $"Migrations:{key}={value} is not deployed: every new web app revision migrates to the latest before it starts. " +
                    (key == "Target"
                        ? $"Roll back with AppHost/infra/scripts/run-migrations-job.sh --target {value} (see docs/deploy.md)."
                        : "Give the worker's flag to AppHost/infra/scripts/run-migrations-job.sh instead (see docs/deploy.md)."));
            }

            worker.WithEnvironment($"Migrations__{key}", value);
        }

        return worker;
    }
}
