using System.Diagnostics;

namespace StartupTimeline;

/// <summary>The phases of an AppHost's start, in the order they happen.</summary>
internal enum Phase
{
    AppHostRunning,
    PostgresRunning,
    WorkerLaunched,
    WorkerRunning,
    WorkerExited,
    WebLaunched,
    WebRunning,
    WebAlive,
    WebHealthy,
}

/// <summary>When each phase was first seen, in seconds since the command started.</summary>
internal sealed class Timeline
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Dictionary<Phase, double> _seen = [];

    public TimeSpan Elapsed => _clock.Elapsed;

    public bool Has(Phase phase)
    {
        lock (_seen)
        {
            return _seen.ContainsKey(phase);
        }
    }

    public void Mark(Phase phase)
    {
        lock (_seen)
        {
            _seen.TryAdd(phase, _clock.Elapsed.TotalSeconds);
        }
    }

    /// <summary>
    /// The AppHost's first log line (Aspire's version banner), and the server's state turning Running (its process or
    /// container started; Aspire launches the worker once it is also healthy, see <see cref="Phase.WorkerLaunched"/>).
    /// </summary>
    public void MarkFromAspireLog(string line)
    {
        if (line.Contains("Aspire.Hosting.DistributedApplication", StringComparison.Ordinal))
        {
            Mark(Phase.AppHostRunning);
        }
        else if (line.Contains("Resource postgres/", StringComparison.Ordinal) && line.EndsWith("Running", StringComparison.Ordinal))
        {
            Mark(Phase.PostgresRunning);
        }
    }

    /// <summary>One "phase&lt;TAB&gt;seconds" line per phase, "-" where it was not seen.</summary>
    public void Print(TextWriter writer)
    {
        lock (_seen)
        {
            foreach (var phase in Enum.GetValues<Phase>())
            {
                writer.WriteLine($"{phase}\t{(_seen.TryGetValue(phase, out var s) ? s.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) : "-")}");
            }
        }
    }
}
