using SafeMigrations.Locks;

namespace SafeMigrations.Worker.Tests;

/// <summary>
/// The lock budget's arithmetic: the time a migration blocks the app is the sum of its blocking steps' estimates
/// (<see cref="LockRates"/>); over <c>Migrations:MaxLockedTime</c> it is refused unless reviewed with a reason; the
/// online forms count for nothing; a budget of zero is off.
/// </summary>
public sealed class LockBudgetTests
{
    private static readonly TableStatistics Million = new(1_000_000, 80 << 20, 3);

    private static PlannedStep Step(TableLockMode mode, TableWork work, bool batched = false) =>
        new(new LockStep("step", null, "Todos", mode, work, batched), Million, LockRates.Estimate(work, Million.Rows, Million.Indexes));

    [Fact]
    public void Estimates_follow_the_measured_rates_and_a_rewrite_rebuilds_each_index()
    {
        Assert.Equal(
            [0.25, 0.5, 2.5, 3.333, 0.0],
            new[] { TableWork.Scan, TableWork.IndexBuild, TableWork.Rewrite, TableWork.RowWrites, TableWork.None }
                .Select(w => Math.Round(LockRates.Estimate(w, Million.Rows, Million.Indexes).TotalSeconds, 3)));
    }

    [Fact]
    public void Blocking_steps_add_up_and_over_the_budget_the_migration_is_refused_unless_reviewed_with_a_reason()
    {
        PlannedStep[] steps = [Step(TableLockMode.AccessExclusive, TableWork.None), Step(TableLockMode.RowExclusive, TableWork.RowWrites),
            Step(TableLockMode.Share, TableWork.IndexBuild), Step(TableLockMode.ShareUpdateExclusive, TableWork.IndexBuild)];
        var budget = TimeSpan.FromSeconds(3);

        var plain = new PlannedMigration("20260101000000_AddDueDate", steps, [], Reviewed: null);

        Assert.Equal(3.83, Math.Round(plain.BlockedTime.TotalSeconds, 2)); // the concurrent index build blocks nothing
        Assert.True(plain.OverBudget(budget));
        Assert.False(plain.OverBudget(TimeSpan.FromSeconds(4)));
        Assert.False(plain.OverBudget(TimeSpan.Zero)); // zero: no budget
        Assert.False((plain with { Reviewed = "Run in the Sunday maintenance window" }).OverBudget(budget));
        Assert.True((plain with { Reviewed = " " }).OverBudget(budget)); // a marker without a reason reviews nothing
        Assert.Equal("AddDueDate: ACCESS EXCLUSIVE on Todos (1000000 rows) for an estimated 3.83 s, over the 3 s budget", PlanText.Refusal(plain, budget));
    }

    [Fact]
    public void The_online_forms_pass_any_budget()
    {
        var online = new PlannedMigration("20260101000000_Online",
            [Step(TableLockMode.RowExclusive, TableWork.RowWrites, batched: true), Step(TableLockMode.ShareUpdateExclusive, TableWork.Scan),
             Step(TableLockMode.ShareUpdateExclusive, TableWork.IndexBuild), Step(TableLockMode.AccessExclusive, TableWork.None)], [], null);

        Assert.Equal(TimeSpan.Zero, online.BlockedTime);
        Assert.False(online.OverBudget(TimeSpan.FromMilliseconds(1)));
    }
}
