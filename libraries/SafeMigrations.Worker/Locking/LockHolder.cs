using System.Data.Common;

namespace SafeMigrations.Worker;

/// <summary>A session that held a lock the worker waited for, as <c>pg_stat_activity</c> showed it.</summary>
/// <param name="Pid">The server process id (<c>pg_terminate_backend(pid)</c> ends it).</param>
/// <param name="ApplicationName">Its <c>application_name</c>; empty when it set none.</param>
/// <param name="State">E.g. <c>idle in transaction</c>; null when the worker's role may not see it (needs <c>pg_read_all_stats</c>).</param>
/// <param name="TransactionAge">How long its transaction had been open; null when not in one or not visible.</param>
internal sealed record LockHolder(int Pid, string ApplicationName, string? State, TimeSpan? TransactionAge)
{
    /// <summary>What <see cref="ReadAllAsync"/> reads, from <c>pg_stat_activity</c> aliased <c>a</c>. Never the query text: it may carry data.</summary>
    public const string Columns =
        "a.pid, coalesce(a.application_name, ''), a.state, extract(epoch FROM now() - a.xact_start)::float8";

    /// <summary>Runs <paramref name="command"/>, which selects <see cref="Columns"/>, and reads a holder per row.</summary>
    public static async Task<IReadOnlyList<LockHolder>> ReadAllAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var holders = new List<LockHolder>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            holders.Add(new LockHolder(
                reader.GetInt32(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : TimeSpan.FromSeconds(reader.GetDouble(3))));
        }

        return holders;
    }

    /// <summary>One phrase for a log line.</summary>
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
