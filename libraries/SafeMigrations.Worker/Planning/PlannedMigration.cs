using SafeMigrations.Locks;

namespace SafeMigrations.Worker;

/// <summary>One step of a pending migration on a live table, with the table's size and the estimated time under its lock.</summary>
/// <param name="Step">The step: the lock, what it does to the rows.</param>
/// <param name="Table">The table's statistics; null when it does not exist yet (an earlier pending migration creates it).</param>
/// <param name="Estimate">The estimated time under the lock (<see cref="LockRates"/>).</param>
internal sealed record PlannedStep(LockStep Step, TableStatistics? Table, TimeSpan Estimate);

/// <summary>What <c>--plan</c> says of one pending migration.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Steps">Its steps on live tables.</param>
/// <param name="DataChecks">Its data checks, run.</param>
/// <param name="Reviewed">The reason of its <see cref="LockTimeReviewedAttribute"/>, when it has one.</param>
internal sealed record PlannedMigration(string Id, IReadOnlyList<PlannedStep> Steps, IReadOnlyList<DataCheckResult> DataChecks, string? Reviewed)
{
    /// <summary>The migration's name.</summary>
    public string Name => MigrationId.Name(Id);

    /// <summary>
    /// The estimated time the app's reads or writes wait on a table: the sum of the blocking steps' estimates (in one
    /// transaction, a lock taken early is held through the later steps).
    /// </summary>
    public TimeSpan BlockedTime => Steps.Where(s => s.Step.BlocksApp).Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Estimate);

    /// <summary>The blocking step that takes longest, for the one line a refusal prints.</summary>
    public PlannedStep? LongestBlockingStep => Steps.Where(s => s.Step.BlocksApp).MaxBy(s => s.Estimate);

    /// <summary>Whether the budget refuses it: over <paramref name="budget"/> (zero: no budget) and not reviewed.</summary>
    public bool OverBudget(TimeSpan budget) => budget > TimeSpan.Zero && BlockedTime > budget && string.IsNullOrWhiteSpace(Reviewed);

    /// <summary>The data checks that would fail.</summary>
    public IEnumerable<DataCheckResult> FailingChecks => DataChecks.Where(c => c.Count > 0);
}

/// <summary>What <c>--plan</c> says of one context.</summary>
/// <param name="Context">The context's name.</param>
/// <param name="Database">Its database.</param>
/// <param name="Migrations">Its pending migrations, oldest first.</param>
internal sealed record ContextPlan(string Context, string? Database, IReadOnlyList<PlannedMigration> Migrations);
