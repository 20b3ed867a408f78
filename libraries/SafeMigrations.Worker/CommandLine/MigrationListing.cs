using System.Text;
using System.Text.Json;
using SafeMigrations.Readiness;

namespace SafeMigrations.Worker;

/// <summary>What <c>--list</c> (as text, or as one JSON document with <c>--json</c>) and <c>--script</c> print on stdout.</summary>
internal sealed class MigrationListing
{
    private readonly List<(string Context, string ConnectionName, string? Database, MigrationHistoryState State)> _contexts = [];
    private readonly StringBuilder _script = new();

    /// <summary>Adds a context's migrations to the list.</summary>
    public void Add(string context, string connectionName, (string? Database, MigrationHistoryState State) status) =>
        _contexts.Add((context, connectionName, status.Database, status.State));

    /// <summary>Adds a context's idempotent script of its pending migrations (empty: none pending).</summary>
    public void AddScript(string context, string script) => _script.Append(script.Length == 0
        ? $"-- {context}: no pending migrations\n"
        : $"-- {context}: pending migrations (idempotent)\n{script}\n");

    /// <summary>Per context its counts, its applied migrations (marking those this build does not know), then its pending ones.</summary>
    public string Text()
    {
        var text = new StringBuilder();
        foreach (var (context, _, _, state) in _contexts)
        {
            text.Append($"{context}: {state.Applied.Count} applied, {state.Pending.Count} pending\n");
            foreach (var id in state.Applied)
            {
                text.Append($"  [applied] {id}{(state.Unknown.Contains(id) ? " (not in this build)" : "")}\n");
            }

            foreach (var id in state.Pending)
            {
                text.Append($"  [pending] {id}\n");
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// The list as one JSON document on one line, for tools: per context, in the order they are migrated, the connection
    /// string it reads, the database that names, and every migration oldest first — <c>applied</c>, <c>pending</c>, or
    /// <c>unknown</c> (applied, but not in this build). Fields may be added later, never removed.
    /// </summary>
    public string Json() => JsonSerializer.Serialize(new
    {
        contexts = _contexts.Select(c => new
        {
            context = c.Context,
            connectionName = c.ConnectionName,
            database = c.Database,
            migrations = c.State.Applied.Concat(c.State.Pending).Order(StringComparer.Ordinal).Select(id => new
            {
                id,
                name = MigrationId.Name(id),
                state = c.State.Unknown.Contains(id) ? "unknown" : c.State.Pending.Contains(id) ? "pending" : "applied",
            }),
        }),
    }) + "\n";

    /// <summary>The scripts, each under a line naming its context.</summary>
    public string Script() => _script.ToString();
}
