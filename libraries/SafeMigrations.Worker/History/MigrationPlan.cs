using Microsoft.EntityFrameworkCore.Migrations;

namespace SafeMigrations.Worker;

/// <summary>
/// One call of <c>IMigrator.MigrateAsync(Target)</c>: it applies or reverts one migration (or, where the history cannot
/// be split, moves it whole), and is what the worker retries alone after a lock timeout.
/// </summary>
/// <param name="Description">For messages: <c>migration 20261129094731_AddUpdatedAt</c>, say.</param>
/// <param name="Target">The argument for <c>IMigrator.MigrateAsync</c>: null means latest (EF then also checks the model).</param>
internal sealed record MigrationMove(string Description, string? Target);

/// <summary>
/// What migrating to a target changes in the history, and the calls that make the change one migration at a time, in
/// the order EF Core runs them (reverts newest first, then applies oldest first).
/// </summary>
internal static class MigrationPlan
{
    /// <param name="known">This build's migrations.</param>
    /// <param name="applied">The history's migrations.</param>
    /// <param name="targetId">A known migration id, <c>0</c> for none, or null for the latest.</param>
    /// <returns>
    /// At least one move. Nothing to do still gives one (a no-op for EF, which then checks the model against the
    /// snapshot as before). A history with a gap — a migration pending below an applied one, after a merge — gives a
    /// single move for the whole target: per-migration targets there would make EF revert or apply around the gap.
    /// </returns>
    public static IReadOnlyList<MigrationMove> OneAtATime(IReadOnlyList<string> known, IReadOnlyCollection<string> applied, string? targetId)
    {
        var comparer = StringComparer.OrdinalIgnoreCase;
        var (appliedKnown, pending, toRevert, toApply) = Changes(known, applied, targetId);
        var hasGap = appliedKnown.Count > 0 && pending.Any(id => comparer.Compare(id, appliedKnown[^1]) < 0);
        if (toRevert.Count + toApply.Count == 0 || hasGap)
        {
            return [new MigrationMove($"migrations to {targetId ?? "the latest"}", targetId)];
        }

        var moves = new List<MigrationMove>();
        for (var i = toRevert.Count - 1; i >= 0; i--)
        {
            // Reverting one: target the applied migration just below it (or none), so that nothing else moves.
            var below = appliedKnown.IndexOf(toRevert[i]) - 1;
            moves.Add(new MigrationMove($"migration {toRevert[i]} (revert)", below >= 0 ? appliedKnown[below] : Migration.InitialDatabase));
        }

        for (var i = 0; i < toApply.Count; i++)
        {
            var last = i == toApply.Count - 1;
            moves.Add(new MigrationMove($"migration {toApply[i]}", targetId is null && last ? null : toApply[i]));
        }

        return moves;
    }

    /// <summary>What migrating to <paramref name="targetId"/> moves, each list oldest first.</summary>
    /// <returns>
    /// The applied migrations this build knows, the pending ones, and of these what is to revert and what to apply.
    /// </returns>
    public static (List<string> AppliedKnown, List<string> Pending, List<string> ToRevert, List<string> ToApply) Changes(
        IReadOnlyList<string> known, IReadOnlyCollection<string> applied, string? targetId)
    {
        // EF compares ids ordinally, ignoring case (Migrator.PopulateMigrations); so does this.
        var comparer = StringComparer.OrdinalIgnoreCase;
        var appliedSet = new HashSet<string>(applied, comparer);
        var appliedKnown = known.Where(appliedSet.Contains).Order(comparer).ToList();
        var pending = known.Where(id => !appliedSet.Contains(id)).Order(comparer).ToList();
        return targetId switch
        {
            null => (appliedKnown, pending, [], pending),
            Migration.InitialDatabase => (appliedKnown, pending, appliedKnown, []),
            _ => (appliedKnown, pending, appliedKnown.Where(id => comparer.Compare(id, targetId) > 0).ToList(),
                  pending.Where(id => comparer.Compare(id, targetId) <= 0).ToList()),
        };
    }
}
