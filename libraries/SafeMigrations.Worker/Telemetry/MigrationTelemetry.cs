using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SafeMigrations.Worker;

/// <summary>The worker's spans and metrics; registered with OpenTelemetry in <c>Program.cs</c>.</summary>
public static class MigrationTelemetry
{
    public const string Name = "MigrationService";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary>Migrations applied (up) or reverted (down), per context.</summary>
    public static readonly Counter<long> MigrationsApplied =
        Meter.CreateCounter<long>("migrations.applied", unit: "{migration}", description: "Migrations applied or reverted");

    /// <summary>Wall time of migrating one context, lock wait included.</summary>
    public static readonly Histogram<double> ContextDuration =
        Meter.CreateHistogram<double>("migrations.context.duration", unit: "s", description: "Time to migrate one DbContext");
}
