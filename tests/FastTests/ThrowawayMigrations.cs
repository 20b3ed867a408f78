using Data;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FastTests;

// Test-only migrations: never part of Data (no [Migration] attribute, another assembly), so EF Core never applies them.

/// <summary>The contract step done too early: drops a column the running release reads.</summary>
internal class DropsDueDate : Migration
{
    public DropsDueDate() => ActiveProvider = DataMigrations.Provider;

    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropColumn(name: "DueDate", table: "Todos");
}

[ExpandContractReviewed(ExpandContractRule.DropsTableOrColumn, "No release since 2.3 reads DueDate; 2.3 is retired everywhere.")]
internal sealed class DropsDueDateReviewed : DropsDueDate;

[ExpandContractReviewed(ExpandContractRule.DropsTableOrColumn, " ")]
internal sealed class DropsDueDateReviewedWithoutReason : DropsDueDate;

[ExpandContractReviewed(ExpandContractRule.DropsTableOrColumn, "Reviewed.")]
[ExpandContractReviewed(ExpandContractRule.ChangesColumnType, "Reviewed as well.")]
internal sealed class DropsDueDateReviewedForMore : DropsDueDate;

/// <summary>A migration whose Up (and Down) the test gives.</summary>
internal sealed class TestMigration : Migration
{
    private readonly Action<MigrationBuilder> _up;
    private readonly Action<MigrationBuilder> _down;

    public TestMigration(Action<MigrationBuilder> up, Action<MigrationBuilder>? down = null)
    {
        _up = up;
        _down = down ?? (_ => { });
        ActiveProvider = DataMigrations.Provider;
    }

    protected override void Up(MigrationBuilder migrationBuilder) => _up(migrationBuilder);

    protected override void Down(MigrationBuilder migrationBuilder) => _down(migrationBuilder);
}
