using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace TestWorker;

/// <summary>
/// A context on the catalog's database, registered only with <see cref="Setting"/>: its one migration adds a foreign key
/// from <c>Items.ListId</c> to <c>Lists</c>, tables the test creates with the rows it wants, so the worker's check for
/// orphans runs on them before anything moves.
/// </summary>
public sealed class ForeignKeyCheckContext(DbContextOptions<ForeignKeyCheckContext> options) : DbContext(options)
{
    /// <summary>The setting that registers it (<c>TestWorker:ForeignKeyCheck=true</c>).</summary>
    public const string Setting = "TestWorker:ForeignKeyCheck";

    /// <summary>Its migrations history, beside the catalog's.</summary>
    public const string HistoryTable = "__ForeignKeyCheckMigrationsHistory";
}

/// <summary>A foreign key from the items to their lists: an EF Core operation, no SQL.</summary>
[DbContext(typeof(ForeignKeyCheckContext))]
[Migration("20260106000000_ItemsReferenceLists")]
public sealed class ItemsReferenceLists : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.AddForeignKey(name: "FK_Items_Lists", table: "Items", column: "ListId", principalTable: "Lists", principalColumn: "Id");

    /// <inheritdoc />
    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropForeignKey(name: "FK_Items_Lists", table: "Items");
}
