namespace SafeMigrations.Readiness;

/// <summary>
/// How often readiness asks the database: at most once per <see cref="ReadinessInterval"/>, whatever the request rate.
/// Bound from the <c>HealthChecks</c> configuration section (<c>HealthChecks:ReadinessInterval</c>).
/// </summary>
public sealed class MigrationReadinessOptions
{
    /// <summary>The configuration section: <c>HealthChecks</c>.</summary>
    public const string SectionName = "HealthChecks";

    /// <summary>How long one read of the migration history answers every probe (default 2 s, at least 1 s).</summary>
    public TimeSpan ReadinessInterval { get; set; } = TimeSpan.FromSeconds(2);
}
