using SafeMigrations.Locks;

namespace SafeMigrations.Worker;

/// <summary>
/// How fast PostgreSQL does each kind of work under a lock, in rows per second: what <c>--plan</c> turns a table's rows
/// into an estimated time with. Measured by <c>bench/plan-estimates.sh</c> on a 1 000 000-row to-do table (PostgreSQL
/// 17 in a container, 2-core AMD EPYC, warm cache), rounded; bench/README.md has the figures, and compares the estimates
/// with the times measured in the same run (target: within 2×). Slower disks or a cold cache take longer: the budget is
/// a guard against the long lock, not a promise of the short one.
/// </summary>
internal static class LockRates
{
    /// <summary>Reading every row (a check or a foreign key validated, <c>SET NOT NULL</c> proven): 4 M rows/s.</summary>
    public const double ScanRowsPerSecond = 4_000_000;

    /// <summary>Building one index over every row (sorting included): 2 M rows/s.</summary>
    public const double IndexBuildRowsPerSecond = 2_000_000;

    /// <summary>Writing every row into a new copy of the table, before its indexes are rebuilt: 1 M rows/s.</summary>
    public const double RewriteRowsPerSecond = 1_000_000;

    /// <summary>Updating or deleting rows, indexes maintained, counted over every row of the table (the plan cannot know how many a <c>WHERE</c> keeps): 300 000 rows/s.</summary>
    public const double RowWritesPerSecond = 300_000;

    /// <summary>The estimated time of <paramref name="work"/> on a table of <paramref name="rows"/> rows and <paramref name="indexes"/> indexes.</summary>
    public static TimeSpan Estimate(TableWork work, double rows, int indexes) => TimeSpan.FromSeconds(work switch
    {
        TableWork.Scan => rows / ScanRowsPerSecond,
        TableWork.IndexBuild => rows / IndexBuildRowsPerSecond,
        // A rewrite rebuilds every index of the table after copying the rows.
        TableWork.Rewrite => rows / RewriteRowsPerSecond + indexes * rows / IndexBuildRowsPerSecond,
        TableWork.RowWrites => rows / RowWritesPerSecond,
        _ => 0,
    });
}
