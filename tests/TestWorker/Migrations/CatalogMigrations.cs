using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace TestWorker.Migrations;

[DbContext(typeof(CatalogContext))]
[Migration("20260101000000_Initial")]
public sealed class CatalogInitial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""CREATE TABLE "Products" ("Id" serial PRIMARY KEY, "Name" text NOT NULL)""");

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
