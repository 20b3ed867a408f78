namespace StartupTimeline;

/// <summary>A process below the AppHost, as Linux's <c>/proc</c> shows it.</summary>
/// <param name="Id">Its process id.</param>
/// <param name="CommandLine">Its arguments, joined by spaces.</param>
/// <param name="Environment">Its environment at start.</param>
internal sealed record TreeProcess(int Id, string CommandLine, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>The Aspire resource that started it (DCP sets <c>OTEL_SERVICE_NAME</c> to the resource's name).</summary>
    public string? ResourceName => Environment.GetValueOrDefault("OTEL_SERVICE_NAME");

    /// <summary>DCP starts a project as <c>dotnet run --no-build</c>, which then starts the program itself.</summary>
    public bool IsDotnetRun => CommandLine.Contains(" run ", StringComparison.Ordinal) && CommandLine.Contains("--no-build", StringComparison.Ordinal);
}

/// <summary>
/// Reads the processes below one process from <c>/proc</c> (Linux only; the benchmark runs there). Aspire's orchestrator
/// (DCP) detaches from the AppHost and watches it with <c>--monitor &lt;pid&gt;</c> instead: its processes count as below.
/// </summary>
internal static class ProcessTree
{
    public static List<TreeProcess> Descendants(int rootId)
    {
        var all = new Dictionary<int, (int Parent, string CommandLine)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var id) && TryRead($"{dir}/stat") is { } stat && TryRead($"{dir}/cmdline") is { } cmdline)
            {
                // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                all[id] = (int.Parse(fields[1]), cmdline.Replace('\0', ' ').Trim());
            }
        }

        var below = new HashSet<int> { rootId };
        for (var added = true; added;)
        {
            added = false;
            foreach (var (id, (parent, commandLine)) in all)
            {
                if (!below.Contains(id) && (below.Contains(parent) || below.Any(b => commandLine.Contains($"--monitor {b} ", StringComparison.Ordinal))))
                {
                    added = below.Add(id);
                }
            }
        }

        below.Remove(rootId);
        return [.. below.Where(all.ContainsKey).Select(id => new TreeProcess(id, all[id].CommandLine, ReadEnvironment(id)))];
    }

    private static Dictionary<string, string> ReadEnvironment(int id) =>
        (TryRead($"/proc/{id}/environ") ?? "").Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .GroupBy(pair => pair[0])
            .ToDictionary(group => group.Key, group => group.First()[1]);

    // A process may exit between listing and reading: that is not an error here.
    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
