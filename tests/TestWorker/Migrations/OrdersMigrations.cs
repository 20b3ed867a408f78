using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace TestWorker.Migrations;

// "Initial" is a name the catalog's migrations have too: a target of that name is ambiguous without --context.
[DbContext(typeof(OrdersContext))]
[Migration("20260101000001_Initial")]
public sealed class OrdersInitial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""CREATE TABLE "Orders" ("Id" serial PRIMARY KEY, "Product" text NOT NULL)""");

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql("""DROP TABLE "Orders" """);
}

[DbContext(typeof(OrdersContext))]
[Migration("20260103000000_AddShipping")]
public sealed class OrdersAddShipping : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""ALTER TABLE "Orders" ADD COLUMN "ShippedAt" timestamp with time zone""");

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql("""ALTER TABLE "Orders" DROP COLUMN "ShippedAt" """);
}
