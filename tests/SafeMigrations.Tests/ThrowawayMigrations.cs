using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using SafeMigrations.ExpandContract;

namespace SafeMigrations.Tests;

// Migrations of throwaway contexts: never applied (no test here has a database). Public, so that
// ThrowawayMigrationsAssembly can derive from them.

/// <summary>A context for migrations the check finds; configured, so EF Core can say which migrations it finds.</summary>
public sealed class ThrowawayContext : DbContext
{
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) => optionsBuilder.UseNpgsql("Host=unused");
}

/// <summary>A second context in the same assembly: the check covers every context's migrations.</summary>
public sealed class OtherThrowawayContext : DbContext
{
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) => optionsBuilder.UseNpgsql("Host=unused");
}

/// <summary>A new table, with its index and a NOT NULL column: new to everyone, so it breaks nothing.</summary>
[DbContext(typeof(ThrowawayContext))]
[Migration("20990101000000_CreateTags")]
public sealed class CreateTags : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(name: "Tags", columns: t => new { Name = t.Column<string>(type: "text", nullable: false) });
        migrationBuilder.CreateIndex(name: "IX_Tags_Name", table: "Tags", column: "Name");
        migrationBuilder.AddColumn<int>(name: "Weight", table: "Tags", type: "integer", nullable: false);
    }
}

/// <summary>The contract step, reviewed.</summary>
[DbContext(typeof(ThrowawayContext))]
[Migration("20990102000000_DropTagWeight")]
[ExpandContractReviewed(ExpandContractRule.DropsTableOrColumn, "No release since 2.3 reads Weight; 2.3 is retired everywhere.")]
public sealed class DropTagWeight : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.DropColumn(name: "Weight", table: "Tags");
}

/// <summary>The other context's migration (an id that sorts between this context's).</summary>
[DbContext(typeof(OtherThrowawayContext))]
[Migration("20990101120000_CreateNotes")]
public sealed class CreateNotes : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateTable(name: "Notes", columns: t => new { Text = t.Column<string>(type: "text", nullable: true) });
}

/// <summary>No id: EF Core skips it (with a warning), so the check does too, although it would break a rule.</summary>
[DbContext(typeof(ThrowawayContext))]
public sealed class WithoutId : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("Tags");
}

/// <summary>No context: EF Core finds it for none, so the check skips it too.</summary>
[Migration("20990104000000_WithoutContext")]
public sealed class WithoutContext : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("Tags");
}

/// <summary>Abstract: EF Core cannot create it, so it finds it not.</summary>
[DbContext(typeof(ThrowawayContext))]
[Migration("20990103000000_Abstract")]
public abstract class AbstractMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("Tags");
}

/// <summary>The contract step done too early: drops a column the running release reads.</summary>
public class DropsDueDate : Migration
{
    public DropsDueDate() => ActiveProvider = TestMigration.Provider;

    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropColumn(name: "DueDate", table: "Todos");
}

[ExpandContractReviewed(ExpandContractRule.DropsTableOrColumn, "No release since 2.3 reads DueDate; 2.3 is retired everywhere.")]
public class DropsDueDateReviewed : DropsDueDate;

[ExpandContractReviewed(ExpandContractRule.DropsTableOrColumn, " ")]
public class DropsDueDateReviewedWithoutReason : DropsDueDate;

[ExpandContractReviewed(ExpandContractRule.DropsTableOrColumn, "Reviewed.")]
[ExpandContractReviewed(ExpandContractRule.ChangesColumnType, "Reviewed as well.")]
public class DropsDueDateReviewedForMore : DropsDueDate;

/// <summary>A rename the release still serving does not know.</summary>
public class RenamesTitle : Migration
{
    public RenamesTitle() => ActiveProvider = TestMigration.Provider;

    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.RenameColumn(name: "Title", table: "Todos", newName: "Name");
}
