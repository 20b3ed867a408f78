using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace TestWorker;

/// <summary>
/// A third context on the catalog's database, registered only with <see cref="Setting"/>: its one migration needs the
/// products' names unique and every price set, which the worker checks against the data before anything moves.
/// </summary>
public sealed class DataChecksContext(DbContextOptions<DataChecksContext> options) : DbContext(options)
{
    /// <summary>The setting that registers it (<c>TestWorker:DataChecks=true</c>).</summary>
    public const string Setting = "TestWorker:DataChecks";

    /// <summary>Its migrations history, beside the catalog's.</summary>
    public const string HistoryTable = "__DataChecksMigrationsHistory";
}

/// <summary>A unique index on the products' names, and their prices made NOT NULL: EF Core operations, no SQL.</summary>
[DbContext(typeof(DataChecksContext))]
[Migration("20260105000000_UniqueNamesAndPrices")]
public sealed class UniqueNamesAndPrices : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateIndex(name: "IX_Products_Name", table: "Products", column: "Name", unique: true);
        migrationBuilder.AlterColumn<decimal>(name: "Price", table: "Products", type: "numeric", nullable: false,
            oldClrType: typeof(decimal), oldType: "numeric", oldNullable: true);
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AlterColumn<decimal>(name: "Price", table: "Products", type: "numeric", nullable: true,
            oldClrType: typeof(decimal), oldType: "numeric");
        migrationBuilder.DropIndex(name: "IX_Products_Name", table: "Products");
    }
}
