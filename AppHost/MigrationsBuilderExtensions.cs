using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

namespace AppHost;

/// <summary>How the AppHost tells the migration worker what to do.</summary>
internal static class MigrationsBuilderExtensions
{
    /// <summary>
    /// Forwards the AppHost's <c>Migrations:Target</c> to the worker, so
    /// <c>dotnet run --project AppHost -- --Migrations:Target=&lt;migration&gt;</c> rolls a development database back (or forward)
    /// to exactly that migration. Unset: the worker migrates to the latest and seeds.
    /// </summary>
    /// <remarks>
    /// Refused when publishing: deployed, the worker runs in every new web app revision before the web app starts, and a
    /// revision that migrates down would never turn ready. A rollback in the cloud is an explicit run of the migrations
    /// job (<c>infra/scripts/run-migrations-job.sh</c>, see docs/deploy.md).
    /// </remarks>
    public static IResourceBuilder<ProjectResource> WithMigrationTarget(this IResourceBuilder<ProjectResource> worker)
    {
        if (worker.ApplicationBuilder.Configuration["Migrations:Target"] is not { Length: > 0 } target)
        {
            return worker;
        }

        if (worker.ApplicationBuilder.ExecutionContext.IsPublishMode)
        {
            throw new AppHostSettingException(
                $"Migrations:Target={target} is not deployed: every new web app revision migrates to the latest before it starts. " +
                $"Roll back with AppHost/infra/scripts/run-migrations-job.sh --target {target} (see docs/deploy.md).");
        }

        return worker.WithEnvironment("Migrations__Target", target);
    }
}
