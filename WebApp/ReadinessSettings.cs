namespace WebApp;

/// <summary>
/// How often readiness (<c>/health</c>) asks the database (section <c>HealthChecks</c>, whose <c>Timeout</c>, read by
/// ServiceDefaults, bounds how long a probe waits): at most once per <see cref="ReadinessInterval"/>, whatever the
/// request rate.
/// </summary>
public sealed class ReadinessSettings
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "HealthChecks";

    /// <summary>How long one read of the migration history answers every probe (default 2 s).</summary>
    public TimeSpan ReadinessInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Reads the section; fails at startup, naming the key, when a value is out of range.</summary>
    public static ReadinessSettings From(IConfiguration configuration)
    {
        var settings = configuration.GetSection(SectionName).Get<ReadinessSettings>() ?? new ReadinessSettings();
        if (settings.ReadinessInterval < TimeSpan.FromSeconds(1))
        {
            throw new InvalidOperationException($"{SectionName}:{nameof(ReadinessInterval)} must be at least 1 second.");
        }

        return settings;
    }
}
