namespace OnlineMigration;

/// <summary>What the figures were measured on, for the report.</summary>
public static class Machine
{
    public static string Describe()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim()
            : null;
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024 * 1024.0);
        // Other work on the machine skews every figure: say how busy it was.
        var load = File.Exists("/proc/loadavg") ? $", load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at start" : "";
        return $"{cpu ?? "CPU unknown"}, {Environment.ProcessorCount} cores, {memory:0} GiB, {Environment.OSVersion}{load}";
    }
}
