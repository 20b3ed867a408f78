using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SafeMigrations.Worker;

/// <summary>
/// The worker's spans (<c>migrations</c> per run, <c>migrate &lt;Context&gt;</c> and <c>seed &lt;Context&gt;</c>) and metrics;
/// registered with OpenTelemetry by <see cref="MigrationWorker.CreateBuilder"/>, exported wherever the solution sends its own.
/// </summary>
internal static class MigrationTelemetry
{
    /// <summary>The activity source's and the meter's name.</summary>
    public const string Name = "SafeMigrations.Worker";

    /// <summary>The spans.</summary>
    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary>Migrations applied (up) or reverted (down), per context.</summary>
    public static readonly Counter<long> MigrationsApplied =
        Meter.CreateCounter<long>("migrations.applied", unit: "{migration}", description: "Migrations applied or reverted");

    /// <summary>Wall time of migrating one context, lock wait included.</summary>
    public static readonly Histogram<double> ContextDuration =
        Meter.CreateHistogram<double>("migrations.context.duration", unit: "s", description: "Time to migrate one DbContext");
}
