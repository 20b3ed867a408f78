using Microsoft.EntityFrameworkCore.Migrations;

namespace SafeMigrations.Worker;

/// <summary>A call of <c>IMigrator.MigrateAsync(Target)</c> that applies or reverts what <see cref="Description"/> says.</summary>
/// <param name="Description">For messages: <c>migration 20261129094731_AddUpdatedAt</c>, say.</param>
/// <param name="Target">The argument for <c>IMigrator.MigrateAsync</c>: null means latest (EF then also checks the model).</param>
public sealed record MigrationStep(string Description, string? Target);

/// <summary>
/// Splits "migrate to <c>target</c>" into one step per migration, in the order EF Core runs them (reverts newest first,
/// then applies oldest first), so that a step that fails on a lock timeout is retried alone.
/// </summary>
public static class MigrationSteps
{
    /// <param name="known">This build's migrations.</param>
    /// <param name="applied">The history's migrations.</param>
    /// <param name="targetId">A known migration id, <c>0</c> for none, or null for the latest.</param>
    /// <returns>
    /// At least one step. Nothing to do still gives one (a no-op for EF, which then checks the model against the
    /// snapshot as before). A history with a gap — a migration pending below an applied one, after a merge — gives a
    /// single step for the whole target: per-migration targets there would make EF revert or apply around the gap.
    /// </returns>
    public static IReadOnlyList<MigrationStep> Plan(IReadOnlyList<string> known, IReadOnlyCollection<string> applied, string? targetId)
    {
        var comparer = StringComparer.OrdinalIgnoreCase;
        var (appliedKnown, pending, toRevert, toApply) = Moves(known, applied, targetId);
        var hasGap = appliedKnown.Count > 0 && pending.Any(id => comparer.Compare(id, appliedKnown[^1]) < 0);
        if (toRevert.Count + toApply.Count == 0 || hasGap)
        {
            return [new MigrationStep($"migrations to {targetId ?? "the latest"}", targetId)];
        }

        var steps = new List<MigrationStep>();
        for (var i = toRevert.Count - 1; i >= 0; i--)
        {
            // Reverting one: target the applied migration just below it (or none), so that nothing else moves.
            var below = appliedKnown.IndexOf(toRevert[i]) - 1;
            steps.Add(new MigrationStep($"migration {toRevert[i]} (revert)", below >= 0 ? appliedKnown[below] : Migration.InitialDatabase));
        }

        for (var i = 0; i < toApply.Count; i++)
        {
            var last = i == toApply.Count - 1;
            steps.Add(new MigrationStep($"migration {toApply[i]}", targetId is null && last ? null : toApply[i]));
        }

        return steps;
    }

    /// <summary>What migrating to <paramref name="targetId"/> moves, each list oldest first.</summary>
    /// <returns>
    /// The applied migrations this build knows, the pending ones, and of these what is to revert and what to apply.
    /// </returns>
    public static (List<string> AppliedKnown, List<string> Pending, List<string> ToRevert, List<string> ToApply) Moves(
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
