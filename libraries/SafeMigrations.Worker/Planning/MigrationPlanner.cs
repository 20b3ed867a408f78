using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using SafeMigrations.Locks;

namespace SafeMigrations.Worker;

/// <summary>
/// <c>--plan</c> for one context, and the lock budget of every migrate: for each pending migration, the steps on live
/// tables (<see cref="MigrationLocks"/>) with the tables' statistics and estimated times (<see cref="LockRates"/>),
/// and its data checks (<see cref="PendingDataChecks"/>). Reads only.
/// </summary>
internal static class MigrationPlanner
{
    /// <summary>The plan of <paramref name="toApply"/> (ids, oldest first) on the context's open session.</summary>
    public static async Task<IReadOnlyList<PlannedMigration>> PlanAsync(DbContext context, IReadOnlyList<string> toApply, CancellationToken cancellationToken)
    {
        var assembly = context.GetService<IMigrationsAssembly>();
        var provider = context.Database.ProviderName!;
        var checks = await PendingDataChecks.RunAsync(context, toApply, cancellationToken);
        var statistics = new Dictionary<string, TableStatistics?>(StringComparer.Ordinal);
        var plans = new List<PlannedMigration>();
        foreach (var id in toApply)
        {
            var migration = assembly.CreateMigration(assembly.Migrations[id], provider);
            var steps = new List<PlannedStep>();
            foreach (var named in MigrationLocks.Of(migration))
            {
                var step = named;
                if (step is { Table: "", Index: { } index })
                {
                    var quotedIndex = (step.Schema is null ? "" : PostgresIdentifier.Quote(step.Schema) + ".") + PostgresIdentifier.Quote(index);
                    if (await TableStatistics.TableOfIndexAsync(context, quotedIndex, cancellationToken) is not { } indexed)
                    {
                        steps.Add(new(step, null, TimeSpan.Zero)); // made by an earlier pending migration
                        continue;
                    }

                    step = step.OnTable(indexed.Schema, indexed.Table);
                }

                var quoted = (step.Schema is null ? "" : PostgresIdentifier.Quote(step.Schema) + ".") + PostgresIdentifier.Quote(step.Table);
                if (!statistics.TryGetValue(quoted, out var table))
                {
                    statistics[quoted] = table = await TableStatistics.ReadAsync(context, quoted, cancellationToken);
                }

                steps.Add(new(step, table, table is null ? TimeSpan.Zero : LockRates.Estimate(step.Work, table.Rows, table.Indexes)));
            }

            var reviewed = migration.GetType().GetCustomAttribute<LockTimeReviewedAttribute>()?.Reason;
            plans.Add(new(id, steps, [.. checks.Where(c => c.Check.Migration == MigrationId.Name(id))], reviewed));
        }

        return plans;
    }

    /// <summary>
    /// Refuses (exit 2) a pending migration whose estimated time under a blocking lock is over <paramref name="budget"/>
    /// and that carries no <see cref="LockTimeReviewedAttribute"/> with a reason. Nothing was changed when it throws.
    /// </summary>
    /// <exception cref="LockBudgetExceededException">One is over the budget.</exception>
    public static async Task CheckBudgetAsync(DbContext context, IReadOnlyList<string> toApply, TimeSpan budget, CancellationToken cancellationToken)
    {
        if (budget <= TimeSpan.Zero || toApply.Count == 0)
        {
            return;
        }

        var over = (await PlanAsync(context, toApply, cancellationToken)).Where(m => m.OverBudget(budget)).ToList();
        if (over.Count > 0)
        {
            throw new LockBudgetExceededException(
                $"Refusing to migrate: {string.Join("; ", over.Select(m => PlanText.Refusal(m, budget)))}. Nothing was migrated. Use the online " +
                "form (CreateIndexConcurrently, BackfillInBatches, SetNotNullOnline), or mark the migration [LockTimeReviewed(\"why\")], " +
                $"or raise {MigrationOptions.SectionName}:{nameof(MigrationOptions.MaxLockedTime)}.");
        }
    }
}
