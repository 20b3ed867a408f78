using System.Globalization;
using System.Text;
using System.Text.Json;
using SafeMigrations.Locks;

namespace SafeMigrations.Worker;

/// <summary>What <c>--plan</c> prints: text for people, or one JSON document with <c>--json</c>; and the budget's refusal line.</summary>
internal static class PlanText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Per context, each pending migration with its verdict, its steps and its data checks.</summary>
    public static string Text(IEnumerable<ContextPlan> plans, TimeSpan budget)
    {
        var text = new StringBuilder();
        foreach (var plan in plans)
        {
            if (plan.Migrations.Count == 0)
            {
                text.Append(Invariant, $"{plan.Context} ({plan.Database}): nothing pending\n");
                continue;
            }

            text.Append(Invariant, $"{plan.Context} ({plan.Database}): {plan.Migrations.Count} pending migration(s); lock budget " +
                $"({MigrationOptions.SectionName}:{nameof(MigrationOptions.MaxLockedTime)}) {(budget > TimeSpan.Zero ? Seconds(budget) : "off")}\n");
            foreach (var migration in plan.Migrations)
            {
                text.Append(Invariant, $"  {migration.Name}: blocks the app for an estimated {Seconds(migration.BlockedTime)}: {Verdict(migration, budget)}\n");
                foreach (var step in migration.Steps)
                {
                    var size = step.Table is { } table
                        ? string.Create(Invariant, $"{table.Rows:0} rows, {Size(table.Bytes)}: ~{Seconds(step.Estimate)}")
                        : "not there yet";
                    text.Append(Invariant, $"    {step.Step.Statement} on {step.Step.Target}: {step.Step.Lock.ToSql()} ({Blocks(step.Step)}), {Work(step.Step)}; {size}\n");
                }

                foreach (var check in migration.DataChecks)
                {
                    text.Append(Invariant, $"    data check: {check.Describe()[(migration.Name.Length + 2)..]}\n");
                }
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// The plan as one JSON document on one line, for tools and the dashboard: per context, each pending migration with
    /// its estimated blocked time in seconds, verdict, steps (table, lock as PostgreSQL names it, work, rows, bytes,
    /// estimated seconds, whether it blocks the app) and data checks (count; null when not checked yet). Fields may be
    /// added later, never removed.
    /// </summary>
    public static string Json(IEnumerable<ContextPlan> plans, TimeSpan budget) => JsonSerializer.Serialize(new
    {
        maxLockedTimeSeconds = budget.TotalSeconds,
        contexts = plans.Select(p => new
        {
            context = p.Context,
            database = p.Database,
            migrations = p.Migrations.Select(m => new
            {
                id = m.Id,
                name = m.Name,
                blockedSeconds = Math.Round(m.BlockedTime.TotalSeconds, 3),
                verdict = m.FailingChecks.Any() ? "data-check-fails" : m.OverBudget(budget) ? "over-budget" : m.BlockedTime > budget && budget > TimeSpan.Zero ? "reviewed" : "ok",
                reviewed = m.Reviewed,
                steps = m.Steps.Select(s => new
                {
                    statement = s.Step.Statement,
                    table = s.Step.Target,
                    @lock = s.Step.Lock.ToSql(),
                    work = s.Step.Work.ToString(),
                    batched = s.Step.Batched,
                    blocksApp = s.Step.BlocksApp,
                    rows = s.Table?.Rows,
                    bytes = s.Table?.Bytes,
                    estimatedSeconds = Math.Round(s.Estimate.TotalSeconds, 3),
                }),
                dataChecks = m.DataChecks.Select(c => new { check = c.Check.What, count = c.Count, unit = c.Check.Unit }),
            }),
        }),
    }) + "\n";

    /// <summary>The budget's refusal of <paramref name="migration"/>: its name, the table, its rows and the estimate.</summary>
    public static string Refusal(PlannedMigration migration, TimeSpan budget)
    {
        // The strongest lock on that table: in one transaction it is held until the end, through the longest step too.
        var longest = migration.LongestBlockingStep!;
        var strongest = migration.Steps.Where(s => s.Step.BlocksApp && s.Step.Target == longest.Step.Target).Max(s => s.Step.Lock);
        return string.Create(Invariant, $"{migration.Name}: {strongest.ToSql()} on {longest.Step.Target} ({longest.Table?.Rows ?? 0:0} rows) " +
            $"for an estimated {Seconds(migration.BlockedTime)}, over the {Seconds(budget)} budget");
    }

    private static string Verdict(PlannedMigration migration, TimeSpan budget) =>
        migration.FailingChecks.Any() ? "a data check fails: a migrate refuses it"
        : migration.OverBudget(budget) ? "OVER the budget: a migrate refuses it"
        : migration.BlockedTime > budget && budget > TimeSpan.Zero ? $"over the budget, reviewed: {migration.Reviewed}"
        : "within the budget";

    private static string Blocks(LockStep step) =>
        step.Lock.BlocksReads() ? "blocks reads and writes"
        : step.Lock.BlocksWrites() ? "blocks writes"
        : step.BlocksApp ? "locks every row it writes until it commits"
        : step.Batched ? "blocks nothing; rows locked one batch at a time"
        : "blocks neither reads nor writes";

    private static string Work(LockStep step) => step.Work switch
    {
        TableWork.Scan => "scans the table",
        TableWork.IndexBuild => "builds an index",
        TableWork.Rewrite => "rewrites the table and its indexes",
        TableWork.RowWrites => step.Batched ? "writes rows in batches" : "writes rows",
        _ => "catalog only",
    };

    private static string Seconds(TimeSpan time) => string.Create(Invariant, $"{time.TotalSeconds:0.##} s");

    private static string Size(long bytes) => bytes >= 1 << 20
        ? string.Create(Invariant, $"{bytes / (double)(1 << 20):0.#} MiB")
        : string.Create(Invariant, $"{bytes / 1024.0:0.#} KiB");
}
