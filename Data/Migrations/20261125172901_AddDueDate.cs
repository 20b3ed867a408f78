using System;
using Microsoft.EntityFrameworkCore.Migrations;
using SafeMigrations.ExpandContract;

#nullable disable

namespace Data.Migrations
{
    /// <inheritdoc />
    [ExpandContractReviewed(ExpandContractRule.BlockingIndexOnExistingTable,
        "Todos held a handful of rows when this shipped, so the plain index build blocked writes for milliseconds. " +
        "On a large table, build it with CreateIndexConcurrently instead.")]
    public partial class AddDueDate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "DueDate",
                table: "Todos",
                type: "date",
                nullable: true);

            // Backfill in one set-based statement (hand-written; EF does not generate data changes):
            // open to-dos that predate due dates become due a week after they were created.
            migrationBuilder.Sql(
                """
                UPDATE "Todos"
                SET "DueDate" = ("CreatedAt" AT TIME ZONE 'UTC')::date + 7
                WHERE NOT "IsDone" AND "DueDate" IS NULL;
                """);

            migrationBuilder.CreateIndex(
                name: "IX_Todos_IsDone_DueDate",
                table: "Todos",
                columns: new[] { "IsDone", "DueDate" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Todos_IsDone_DueDate",
                table: "Todos");

            migrationBuilder.DropColumn(
                name: "DueDate",
                table: "Todos");
        }
    }
}
