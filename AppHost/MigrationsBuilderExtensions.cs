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
    public static IResourceBuilder<ProjectResource> WithMigrationTarget(this IResourceBuilder<ProjectResource> worker)
    {
        if (worker.ApplicationBuilder.Configuration["Migrations:Target"] is { Length: > 0 } target)
        {
            worker.WithEnvironment("Migrations__Target", target);
        }

        return worker;
    }
}
