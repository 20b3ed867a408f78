using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using SafeMigrations.ExpandContract;

namespace SafeMigrations.Tests;

/// <summary>
/// The check a team's lint test calls: every migration EF Core finds in an assembly, every rule, the markers honoured,
/// and one exception whose message lists every finding.
/// </summary>
public sealed class ExpandContractCheckTests
{
    private const string DropsDueDateLine =
        "DropsDueDate: DropColumn on Todos.DueDate breaks DropsTableOrColumn: the release still serving reads and writes it. " +
        "Expand/contract: release N stops using it and keeps the schema; a migration of a later release drops it " +
        "(the contract step, reviewed). If it is safe here, mark the migration " +
        "[ExpandContractReviewed(ExpandContractRule.DropsTableOrColumn, \"<why>\")] after review.";

    [Fact]
    public void AssertFollowed_fails_on_a_migration_that_breaks_a_rule_with_the_line_that_says_how_to_split_it()
    {
        var assembly = ThrowawayMigrationsAssembly.With(("20990101000000_DropsDueDate", typeof(DropsDueDate)));

        var failure = Assert.Throws<ExpandContractViolationException>(() => ExpandContractCheck.AssertFollowed(assembly));

        Assert.Equal(DropsDueDateLine, failure.Message);
        Assert.Equal(("DropsDueDate", ExpandContractRule.DropsTableOrColumn), (Assert.Single(failure.Findings).Migration, failure.Findings[0].Rule));
    }

    [Fact]
    public void AssertFollowed_passes_once_the_migration_is_marked_reviewed()
    {
        var assembly = ThrowawayMigrationsAssembly.With(("20990101000000_DropsDueDate", typeof(DropsDueDateReviewed)));

        ExpandContractCheck.AssertFollowed(assembly);
        Assert.Empty(ExpandContractCheck.Findings(assembly));
    }

    [Fact]
    public void Every_finding_of_every_migration_is_one_line_of_the_message_oldest_migration_first()
    {
        var assembly = ThrowawayMigrationsAssembly.With(
            ("20990102000000_RenamesTitle", typeof(RenamesTitle)),
            ("20990101000000_DropsDueDate", typeof(DropsDueDateReviewedForMore)),
            ("20990103000000_DropsDueDateAgain", typeof(DropsDueDate)));

        var failure = Assert.Throws<ExpandContractViolationException>(() => ExpandContractCheck.AssertFollowed(assembly));

        Assert.Equal(
            [
                "DropsDueDate: its ExpandContractReviewed(ChangesColumnType) marker accepts nothing (the migration does not break ChangesColumnType); remove it.",
                "RenamesTitle: RenameColumn on Todos.Title breaks RenamesTableOrColumn: the release still serving knows only the old name. " +
                "Expand/contract: add the new name beside the old (expand), write both and backfill, move the code to the new name, " +
                "then drop the old one in a later release (contract, reviewed). If it is safe here, mark the migration " +
                "[ExpandContractReviewed(ExpandContractRule.RenamesTableOrColumn, \"<why>\")] after review.",
                DropsDueDateLine.Replace("DropsDueDate:", "DropsDueDateAgain:"),
            ],
            failure.Message.Split(Environment.NewLine));
    }

    [Fact]
    public void A_marker_without_a_reason_fails_the_check()
    {
        var assembly = ThrowawayMigrationsAssembly.With(("20990101000000_DropsDueDate", typeof(DropsDueDateReviewedWithoutReason)));

        var failure = Assert.Throws<ExpandContractViolationException>(() => ExpandContractCheck.AssertFollowed(assembly));

        Assert.Equal("DropsDueDate: its ExpandContractReviewed(DropsTableOrColumn) marker gives no reason; say why it is safe.", failure.Message);
    }

    [Fact]
    public void The_migrations_checked_are_those_EF_Core_finds_for_each_context_of_the_assembly()
    {
        using var context = new ThrowawayContext();
        using var other = new OtherThrowawayContext();
        var efCore = new DbContext[] { context, other }
            .SelectMany(c => c.GetService<IMigrationsAssembly>().Migrations.Keys.Select(id => (Id: id, Provider: c.Database.ProviderName)))
            .OrderBy(m => m.Id, StringComparer.Ordinal);

        var checkedHere = MigrationsInAssembly.Of(typeof(ThrowawayContext).Assembly);

        // Not the one without an id, nor the one without a context, nor the abstract one (each would break a rule).
        Assert.Equal(["20990101000000_CreateTags", "20990101120000_CreateNotes", "20990102000000_DropTagWeight"], efCore.Select(m => m.Id));
        Assert.Equal(efCore, checkedHere.Select(m => (m.Id, (string?)m.Migration.ActiveProvider)));
        // They follow expand/contract (the drop is reviewed): the assembly passes.
        ExpandContractCheck.AssertFollowed(typeof(ThrowawayContext).Assembly);
    }

    [Fact]
    public void An_assembly_without_migrations_is_refused_rather_than_passed()
    {
        var refused = Assert.Throws<ArgumentException>(() => ExpandContractCheck.AssertFollowed(typeof(ExpandContractCheck).Assembly));

        Assert.StartsWith(
            "SafeMigrations holds no EF Core migration (a Migration with [DbContext] and [Migration]): pass the assembly the migrations are in.",
            refused.Message);
    }
}
