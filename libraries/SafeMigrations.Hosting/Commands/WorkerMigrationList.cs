using System.Text;
using System.Text.Json;

namespace SafeMigrations.Hosting;

/// <summary>
/// What the worker's <c>--list --json</c> prints: each context it migrates, with every migration of the context, oldest
/// first, and its state — <c>applied</c>, <c>pending</c>, or <c>unknown</c> (applied, but not in the worker's build).
/// </summary>
/// <param name="Contexts">The contexts, in the order the worker migrates them.</param>
internal sealed record WorkerMigrationList(IReadOnlyList<WorkerMigrationList.Context> Contexts)
{
    /// <summary>The target that reverts every migration of a context.</summary>
    public const string RevertAll = "0";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <param name="Name">The context's type name.</param>
    /// <param name="ConnectionName">The connection string it migrates.</param>
    /// <param name="Database">The database that connection string names.</param>
    /// <param name="Migrations">Its migrations, oldest first.</param>
    /// <param name="PendingModelChanges">Its model has changes no migration carries yet (absent from older workers: false).</param>
    public sealed record Context(
        [property: System.Text.Json.Serialization.JsonPropertyName("context")] string Name,
        string ConnectionName, string? Database, IReadOnlyList<Migration> Migrations, bool PendingModelChanges = false);

    /// <param name="Id">The full id (<c>&lt;timestamp&gt;_&lt;Name&gt;</c>).</param>
    /// <param name="Name">The name.</param>
    /// <param name="State"><c>applied</c>, <c>pending</c> or <c>unknown</c>.</param>
    public sealed record Migration(string Id, string Name, string State);

    /// <summary>Reads the worker's document; null when <paramref name="output"/> is not one.</summary>
    public static WorkerMigrationList? Parse(string output)
    {
        try
        {
            return JsonSerializer.Deserialize<WorkerMigrationList>(output, Json) is { Contexts: not null } list ? list : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The list for people, as the worker's plain <c>--list</c> shows it: per context the counts, model changes without a
    /// migration if any, then its applied
    /// migrations (marking those not in the worker's build), then its pending ones.
    /// </summary>
    public string ToText()
    {
        var text = new StringBuilder();
        foreach (var context in Contexts)
        {
            var applied = context.Migrations.Where(m => m.State != "pending").ToList();
            var pending = context.Migrations.Where(m => m.State == "pending").ToList();
            text.Append($"{context.Name}: {applied.Count} applied, {pending.Count} pending\n");
            if (context.PendingModelChanges)
            {
                // The worker's --list says the same (SafeMigrations.Worker's ContextStatus).
                text.Append($"  [model] changes without a migration: add one with 'dotnet ef migrations add <Name> --context {context.Name}'\n");
            }
            foreach (var migration in applied)
            {
                text.Append($"  [applied] {migration.Id}{(migration.State == "unknown" ? " (not in this build)" : "")}\n");
            }

            foreach (var migration in pending)
            {
                text.Append($"  [pending] {migration.Id}\n");
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// The choices of "Migrate to…": <see cref="RevertAll"/>, then every migration of this build (not the unknown ones,
    /// which this build cannot migrate to), labelled with its context when the worker migrates several.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> TargetChoices() =>
    [
        new(RevertAll, $"{RevertAll} (revert all)"),
        .. Contexts.SelectMany(context => context.Migrations.Where(m => m.State != "unknown")
            .Select(m => KeyValuePair.Create(m.Id, Contexts.Count > 1 ? $"{m.Id} ({context.Name})" : m.Id))),
    ];
}
