using System.Text;
using System.Text.Json;

namespace SafeMigrations.Worker;

/// <summary>What <c>--list</c> (as text, or as one JSON document with <c>--json</c>) and <c>--script</c> print on stdout.</summary>
internal sealed class MigrationListing
{
    private readonly List<(string Context, string ConnectionName, ContextStatus Status)> _contexts = [];
    private readonly StringBuilder _script = new();

    /// <summary>Adds a context's migrations to the list.</summary>
    public void Add(string context, string connectionName, ContextStatus status) => _contexts.Add((context, connectionName, status));

    /// <summary>Adds a context's idempotent script of its pending migrations (empty: none pending).</summary>
    public void AddScript(string context, string script) => _script.Append(script.Length == 0
        ? $"-- {context}: no pending migrations\n"
        : $"-- {context}: pending migrations (idempotent)\n{script}\n");

    /// <summary>Per context its counts, its applied migrations (marking those this build does not know), then its pending ones.</summary>
    public string Text()
    {
        var text = new StringBuilder();
        foreach (var (context, _, (_, state, pendingModelChanges)) in _contexts)
        {
            text.Append($"{context}: {state.Applied.Count} applied, {state.Pending.Count} pending\n");
            if (pendingModelChanges)
            {
                text.Append(ContextStatus.ModelChangesLine(context)).Append('\n');
            }

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
    /// string it reads, the database that names, whether its model has changes without a migration
    /// (<c>pendingModelChanges</c>), and every migration oldest first — <c>applied</c>, <c>pending</c>, or
    /// <c>unknown</c> (applied, but not in this build). Fields may be added later, never removed.
    /// </summary>
    public string Json() => JsonSerializer.Serialize(new
    {
        contexts = _contexts.Select(c => new
        {
            context = c.Context,
            connectionName = c.ConnectionName,
            database = c.Status.Database,
            pendingModelChanges = c.Status.PendingModelChanges,
            migrations = c.Status.State.Applied.Concat(c.Status.State.Pending).Order(StringComparer.Ordinal).Select(id => new
            {
                id,
                name = MigrationId.Name(id),
                state = c.Status.State.Unknown.Contains(id) ? "unknown" : c.Status.State.Pending.Contains(id) ? "pending" : "applied",
            }),
        }),
    }) + "\n";

    /// <summary>The scripts, each under a line naming its context.</summary>
    public string Script() => _script.ToString();
}
