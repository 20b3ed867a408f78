using System.Reflection;
using Microsoft.EntityFrameworkCore.Migrations;
using SafeMigrations.Schema;

namespace SafeMigrations.ExpandContract;

/// <summary>
/// The expand/contract check over one migration's Up: what breaks the release that still serves while it is applied,
/// and what its <see cref="ExpandContractReviewedAttribute"/> markers accept.
/// </summary>
internal static class ExpandContractRules
{
    /// <summary>Every rule <paramref name="migration"/> breaks, reviewed or not, in the order of its operations.</summary>
    public static IReadOnlyList<ExpandContractFinding> Findings(string name, Migration migration)
    {
        var changes = SchemaChanges.Of(migration);
        // A table created by this migration is new to everyone: nothing running uses it yet.
        var created = changes.Where(c => c.Kind == SchemaChangeKind.CreateTable).Select(TableOf).ToHashSet();
        var defaulted = changes.Where(c => c.Kind == SchemaChangeKind.SetDefault).Select(c => (TableOf(c), c.Column)).ToHashSet();
        var findings = new List<ExpandContractFinding>();
        foreach (var change in changes.Where(c => !created.Contains(TableOf(c))))
        {
            ExpandContractRule? rule = change.Kind switch
            {
                SchemaChangeKind.DropTable or SchemaChangeKind.DropColumn => ExpandContractRule.DropsTableOrColumn,
                SchemaChangeKind.RenameTable or SchemaChangeKind.RenameColumn => ExpandContractRule.RenamesTableOrColumn,
                SchemaChangeKind.ChangeColumnType => ExpandContractRule.ChangesColumnType,
                SchemaChangeKind.SetNotNull when !defaulted.Contains((TableOf(change), change.Column)) => ExpandContractRule.NotNullWithoutDefault,
                SchemaChangeKind.CreateIndex => ExpandContractRule.BlockingIndexOnExistingTable,
                _ => null,
            };
            if (rule is { } broken)
            {
                findings.Add(new ExpandContractFinding(name, broken, ExpandContractFindingKind.RuleBroken, change));
            }
        }

        return findings;
    }

    /// <summary>
    /// What is wrong with <paramref name="migration"/>: each finding its markers do not accept, each marker without a
    /// reason, and each marker for a rule it does not break (a marker that accepts nothing would hide a later edit).
    /// </summary>
    public static IReadOnlyList<ExpandContractFinding> Problems(string name, Migration migration)
    {
        var findings = Findings(name, migration);
        var markers = migration.GetType().GetCustomAttributes<ExpandContractReviewedAttribute>().ToList();
        return
        [
            .. findings.Where(f => markers.All(m => m.Rule != f.Rule)),
            .. markers.Where(m => string.IsNullOrWhiteSpace(m.Reason))
                .Select(m => new ExpandContractFinding(name, m.Rule, ExpandContractFindingKind.MarkerWithoutReason, null)),
            .. markers.Where(m => findings.All(f => f.Rule != m.Rule))
                .Select(m => new ExpandContractFinding(name, m.Rule, ExpandContractFindingKind.MarkerAcceptsNothing, null)),
        ];
    }

    private static (string Schema, string Table) TableOf(SchemaChange change) => (change.Schema ?? "", change.Table);
}
