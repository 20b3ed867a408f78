using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace TestWorker.Migrations;

[DbContext(typeof(CatalogContext))]
[Migration("20260101000000_Initial")]
public sealed class CatalogInitial : Migration
{
    /// <summary>The setting (<c>TestWorker:EditedInitial=true</c>) that edits the Up, as a developer would after it was applied.</summary>
    public const string EditedSetting = "TestWorker:EditedInitial";

    /// <summary>The setting (<c>TestWorker:InitialWithoutTransaction=true</c>) that runs the Up outside a transaction.</summary>
    public const string WithoutTransactionSetting = "TestWorker:InitialWithoutTransaction";

    /// <summary>Whether the Up has the edit of <see cref="EditedSetting"/> (set once, at start).</summary>
    public static bool Edited { get; set; }

    /// <summary>Whether the Up suppresses its transaction (<see cref="WithoutTransactionSetting"/>; set once, at start).</summary>
    public static bool WithoutTransaction { get; set; }

    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql(
            Edited
                ? """CREATE TABLE "Products" ("Id" serial PRIMARY KEY, "Name" text NOT NULL, "Sku" text)"""
                : """CREATE TABLE "Products" ("Id" serial PRIMARY KEY, "Name" text NOT NULL)""",
            suppressTransaction: WithoutTransaction);

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql("""DROP TABLE "Products" """);
}

[DbContext(typeof(CatalogContext))]
[Migration("20260102000000_AddPrice")]
public sealed class CatalogAddPrice : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""ALTER TABLE "Products" ADD COLUMN "Price" numeric""");

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql("""ALTER TABLE "Products" DROP COLUMN "Price" """);
}
