using SafeMigrations.Readiness;

namespace SafeMigrations.Worker;

/// <summary>What <c>--list</c> shows of one context.</summary>
/// <param name="Database">The database its connection string names.</param>
/// <param name="State">Its applied, pending and unknown migrations.</param>
/// <param name="PendingModelChanges">
/// Its model differs from its last migration's snapshot: an entity was changed and no migration added for it
/// (EF Core's <c>HasPendingModelChanges</c>).
/// </param>
internal sealed record ContextStatus(string? Database, MigrationHistoryState State, bool PendingModelChanges)
{
    /// <summary>The line <c>--list</c> and the dashboard's Status show for a context with model changes, and the fix.</summary>
    public static string ModelChangesLine(string context) =>
        $"  [model] changes without a migration: add one with 'dotnet ef migrations add <Name> --context {context}'";
}
