
namespace SafeMigrations.Worker.Tests;

/// <summary>
/// How the worker splits a migration run into one EF call per migration (so a lock timeout retries that one alone),
/// and where it must not: the targets below are what <c>IMigrator.MigrateAsync</c> receives.
/// </summary>
public sealed class MigrationPlanTests
{
    private static readonly string[] Known = ["1_A", "2_B", "3_C"];

    private static List<string?> Targets(IReadOnlyCollection<string> applied, string? target) =>
        MigrationPlan.OneAtATime(Known, applied, target).Select(step => step.Target).ToList();

    [Fact]
    public void Latest_applies_each_pending_migration_alone_and_the_last_as_latest()
    {
        var moves = MigrationPlan.OneAtATime(Known, ["1_A"], targetId: null);

        // The last step targets "latest" (null), so EF still checks the model against the snapshot.
        Assert.Equal(["2_B", null], moves.Select(s => s.Target));
        Assert.Equal(["migration 2_B", "migration 3_C"], moves.Select(s => s.Description));
    }

    [Fact]
    public void Down_reverts_newest_first_each_to_the_applied_migration_below_it()
    {
        Assert.Equal(["2_B", "1_A"], Targets(["1_A", "2_B", "3_C"], "1_A"));
        Assert.Equal(["2_B", "1_A", "0"], Targets(["1_A", "2_B", "3_C"], "0"));
    }

    [Fact]
    public void Up_to_a_target_stops_there()
    {
        Assert.Equal(["1_A", "2_B"], Targets([], "2_B"));
    }

    [Fact]
    public void Nothing_to_do_is_still_one_call_so_EF_checks_as_before()
    {
        Assert.Equal([null], Targets(["1_A", "2_B", "3_C"], null));
        Assert.Equal(["2_B"], Targets(["1_A", "2_B"], "2_B"));
    }

    [Fact]
    public void A_gap_in_the_history_is_one_call_for_the_whole_target()
    {
        // 2_B pending below the applied 3_C (a merge): a per-migration target "2_B" would make EF revert 3_C.
        Assert.Equal([null], Targets(["1_A", "3_C"], null));
        Assert.Equal(["0"], Targets(["1_A", "3_C"], "0"));
    }

    [Fact]
    public void Applied_migrations_unknown_to_this_build_are_left_to_EF()
    {
        Assert.Equal(["2_B", null], Targets(["1_A", "0_Old"], null));
    }
}
