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
    /// rolls a development database back (or forward) to exactly that migration. Unset: the worker migrates to the latest and seeds.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithMigrationTarget(this IResourceBuilder<ProjectResource> worker)
    {
        foreach (var key in ForwardedKeys)
        {
            if (worker.ApplicationBuilder.Configuration[$"Migrations:{key}"] is { Length: > 0 } value)
            {
                worker.WithEnvironment($"Migrations__{key}", value);
            }
        }

        return worker;
    }
}
