using System.Reflection;
using Data;
using Microsoft.EntityFrameworkCore.Migrations;
using MigrationService;

namespace FastTests;

/// <summary>
/// Expand/contract: no migration of Data breaks the release still serving while it is applied, unless a reviewed
/// marker says why that is safe. Migrations added later are found by EF Core and checked the same way.
/// </summary>
public sealed class ExpandContractTests
{
    [Fact]
    public void Every_migration_keeps_the_previous_release_working()
    {
        var problems = DataMigrations.All()
            .SelectMany(m => ExpandContractRules.Problems(DownMigrationDataLoss.MigrationName(m.Id), m.Migration))
            .ToList();

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void AddDueDate_breaks_only_the_index_rule_and_is_marked_reviewed_for_it()
    {
        var (_, migration) = DataMigrations.Named("AddDueDate");

        var finding = Assert.Single(ExpandContractRules.Findings("AddDueDate", migration));
        var marker = Assert.Single(migration.GetType().GetCustomAttributes<ExpandContractReviewedAttribute>());

        Assert.Equal(new SchemaChange(SchemaChangeKind.CreateIndex, null, "Todos", null, "CreateIndex"), finding.Change);
        Assert.Equal(ExpandContractRule.BlockingIndexOnExistingTable, finding.Rule);
        Assert.Equal(ExpandContractRule.BlockingIndexOnExistingTable, marker.Rule);
    }

    [Fact]
    public void AddUpdatedAt_the_online_migration_passes_by_the_rules()
    {
        var (_, migration) = DataMigrations.Named("AddUpdatedAt");

        // Its NOT NULL comes after a default in the same migration, its index is built concurrently.
        Assert.Contains(SchemaChanges.Of(migration), c => c is { Kind: SchemaChangeKind.SetNotNull, Column: "UpdatedAt" });
        Assert.Contains(SchemaChanges.Of(migration), c => c is { Kind: SchemaChangeKind.CreateIndexConcurrently, Table: "Todos" });
        Assert.Empty(ExpandContractRules.Findings("AddUpdatedAt", migration));
        Assert.Empty(migration.GetType().GetCustomAttributes<ExpandContractReviewedAttribute>());
    }

    [Fact]
    public void CoverListOrder_swaps_the_list_index_online_both_ways_and_passes_by_the_rules()
    {
        var (_, migration) = DataMigrations.Named("CoverListOrder");

        // Up builds the new index concurrently, and so does Down the old one; neither builds one the blocking way.
        foreach (var changes in new[] { SchemaChanges.Of(migration), SchemaChanges.Of(migration, down: true) })
        {
            Assert.Equal([new SchemaChange(SchemaChangeKind.CreateIndexConcurrently, null, "Todos", null, "Sql")], changes);
        }

        Assert.Empty(ExpandContractRules.Findings("CoverListOrder", migration));
        Assert.Empty(migration.GetType().GetCustomAttributes<ExpandContractReviewedAttribute>());
    }

    [Fact]
    public void A_migration_that_drops_a_column_fails_naming_the_migration_the_operation_the_rule_and_the_split()
    {
        var problems = ExpandContractRules.Problems("DropsDueDate", new DropsDueDate());

        Assert.Equal(
            [
                "DropsDueDate: DropColumn on Todos.DueDate breaks DropsTableOrColumn: the release still serving reads and writes it. " +
                "Expand/contract: release N stops using it and keeps the schema; a migration of a later release drops it " +
                "(the contract step, reviewed). If it is safe here, mark the migration " +
                "[ExpandContractReviewed(ExpandContractRule.DropsTableOrColumn, \"<why>\")] after review.",
            ],
            problems);
    }

    [Fact]
    public void The_same_drop_passes_once_marked_reviewed_with_a_reason()
    {
        Assert.Empty(ExpandContractRules.Problems("DropsDueDateReviewed", new DropsDueDateReviewed()));
    }

    [Fact]
    public void A_marker_without_a_reason_is_refused()
    {
        Assert.Equal(
            ["DropsDueDate: its ExpandContractReviewed(DropsTableOrColumn) marker gives no reason; say why it is safe."],
            ExpandContractRules.Problems("DropsDueDate", new DropsDueDateReviewedWithoutReason()));
    }

    [Fact]
    public void A_marker_for_a_rule_the_migration_does_not_break_is_refused()
    {
        Assert.Equal(
            ["DropsDueDate: its ExpandContractReviewed(ChangesColumnType) marker accepts nothing (the migration does not break ChangesColumnType); remove it."],
            ExpandContractRules.Problems("DropsDueDate", new DropsDueDateReviewedForMore()));
    }

    private static readonly Dictionary<string, Action<MigrationBuilder>> Cases = new()
    {
        ["drop table"] = b => b.DropTable("Todos"),
        ["rename column"] = b => b.RenameColumn(name: "Title", table: "Todos", newName: "Name"),
        ["rename table"] = b => b.RenameTable(name: "Todos", newName: "Tasks"),
        ["change type"] = b => b.AlterColumn<string>(name: "Title", table: "Todos", type: "text", nullable: false,
            oldClrType: typeof(string), oldType: "character varying(200)", oldMaxLength: 200),
        ["widen nothing, make NOT NULL"] = b => b.AlterColumn<DateOnly>(name: "DueDate", table: "Todos", type: "date", nullable: false,
            oldClrType: typeof(DateOnly), oldType: "date", oldNullable: true),
        ["make NOT NULL with a default"] = b => b.AlterColumn<DateOnly>(name: "DueDate", table: "Todos", type: "date", nullable: false,
            defaultValueSql: "current_date", oldClrType: typeof(DateOnly), oldType: "date", oldNullable: true),
        ["add NOT NULL column"] = b => b.AddColumn<int>(name: "Priority", table: "Todos", type: "integer", nullable: false),
        ["add NOT NULL column with a default"] = b => b.AddColumn<int>(name: "Priority", table: "Todos", type: "integer", nullable: false, defaultValue: 0),
        ["add nullable column"] = b => b.AddColumn<int>(name: "Priority", table: "Todos", type: "integer", nullable: true),
        ["plain index"] = b => b.CreateIndex(name: "IX_Todos_Title", table: "Todos", column: "Title"),
        ["concurrent index"] = b => b.CreateIndex(name: "IX_Todos_Title", table: "Todos", column: "Title")
            .Annotation("Npgsql:CreatedConcurrently", true),
        ["new table with its index and NOT NULL column"] = b =>
        {
            b.CreateTable(name: "Tags", columns: t => new { Name = t.Column<string>(type: "text", nullable: false) });
            b.CreateIndex(name: "IX_Tags_Name", table: "Tags", column: "Name");
            b.AddColumn<int>(name: "Weight", table: "Tags", type: "integer", nullable: false);
        },
        ["SQL drop column"] = b => b.Sql("""ALTER TABLE "Todos" DROP COLUMN IF EXISTS "DueDate";"""),
        ["SQL plain index"] = b => b.Sql("""CREATE INDEX "IX_Todos_Title" ON "Todos" ("Title");"""),
        ["SQL concurrent index"] = b => b.Sql("""CREATE INDEX CONCURRENTLY IF NOT EXISTS "IX_Todos_Title" ON "Todos" ("Title");""", suppressTransaction: true),
        ["SQL NOT NULL"] = b => b.Sql("""ALTER TABLE "Todos" ALTER COLUMN "DueDate" SET NOT NULL;"""),
        ["SQL default, then NOT NULL"] = b =>
        {
            b.Sql("""ALTER TABLE "Todos" ALTER COLUMN "DueDate" SET DEFAULT current_date;""");
            b.Sql("""DO $$ BEGIN ALTER TABLE "Todos" ALTER COLUMN "DueDate" SET NOT NULL; END $$;""", suppressTransaction: true);
        },
        ["SQL rename column"] = b => b.Sql("""ALTER TABLE "Todos" RENAME COLUMN "Title" TO "Name";"""),
        ["SQL backfill"] = b => b.Sql("""UPDATE "Todos" SET "DueDate" = current_date WHERE "DueDate" IS NULL;"""),
    };

    [Theory]
    [InlineData("drop table", ExpandContractRule.DropsTableOrColumn)]
    [InlineData("rename column", ExpandContractRule.RenamesTableOrColumn)]
    [InlineData("rename table", ExpandContractRule.RenamesTableOrColumn)]
    [InlineData("change type", ExpandContractRule.ChangesColumnType)]
    [InlineData("widen nothing, make NOT NULL", ExpandContractRule.NotNullWithoutDefault)]
    [InlineData("make NOT NULL with a default", null)]
    [InlineData("add NOT NULL column", ExpandContractRule.NotNullWithoutDefault)]
    [InlineData("add NOT NULL column with a default", null)]
    [InlineData("add nullable column", null)]
    [InlineData("plain index", ExpandContractRule.BlockingIndexOnExistingTable)]
    [InlineData("concurrent index", null)]
    [InlineData("new table with its index and NOT NULL column", null)]
    [InlineData("SQL drop column", ExpandContractRule.DropsTableOrColumn)]
    [InlineData("SQL plain index", ExpandContractRule.BlockingIndexOnExistingTable)]
    [InlineData("SQL concurrent index", null)]
    [InlineData("SQL NOT NULL", ExpandContractRule.NotNullWithoutDefault)]
    [InlineData("SQL default, then NOT NULL", null)]
    [InlineData("SQL rename column", ExpandContractRule.RenamesTableOrColumn)]
    [InlineData("SQL backfill", null)]
    public void Each_rule_flags_its_change_and_only_it(string change, ExpandContractRule? expected)
    {
        var findings = ExpandContractRules.Findings("Test", new TestMigration(Cases[change]));

        Assert.Equal(expected is { } rule ? [rule] : [], findings.Select(f => f.Rule));
    }
}
