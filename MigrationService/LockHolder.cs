namespace MigrationService;

/// <summary>A session that held a lock the worker waited for, as <c>pg_stat_activity</c> showed it.</summary>
/// <param name="Pid">The server process id (<c>pg_terminate_backend(pid)</c> ends it).</param>
/// <param name="ApplicationName">Its <c>application_name</c>; empty when it set none.</param>
/// <param name="State">E.g. <c>idle in transaction</c>; null when the worker's role may not see it (needs <c>pg_read_all_stats</c>).</param>
/// <param name="TransactionAge">How long its transaction had been open; null when not in one or not visible.</param>
public sealed record LockHolder(int Pid, string ApplicationName, string? State, TimeSpan? TransactionAge)
{
    /// <summary>One phrase for a log line. Never the query text: it may carry data.</summary>
    public string Describe()
    {
        var application = ApplicationName.Length == 0 ? "no application name" : $"application '{ApplicationName}'";
        var state = State ?? "state not visible to this role";
        var age = TransactionAge is { } open ? $", transaction open {open.TotalSeconds:0} s" : "";
        return $"pid {Pid} ({application}, {state}{age})";
    }

    /// <summary>The holders as one phrase that follows "a lock": "held by pid 1 (…) and pid 2 (…)", or that none was seen.</summary>
    public static string Describe(IReadOnlyList<LockHolder> holders) => holders.Count == 0
        ? "whose holder PostgreSQL did not show"
        : "held by " + string.Join(" and ", holders.Select(h => h.Describe()));
}
