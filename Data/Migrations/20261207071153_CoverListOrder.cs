using SafeMigrations.Online;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Data.Migrations
{
    /// <summary>
    /// Replaces the list's index on (IsDone, DueDate) with one on (IsDone, DueDate, Id), the list's whole order, so a
    /// page is one short range of the index instead of every row sharing a due date, read and sorted. Both steps are
    /// online (hand-written; EF generated a plain DropIndex and CreateIndex): the table stays readable and writable
    /// throughout, and each step is safe to run twice. The new index is built before the old one goes, so the list is
    /// never without one; the release still serving reads through either.
    /// </summary>
    public partial class CoverListOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndexConcurrently("IX_Todos_IsDone_DueDate_Id", "Todos", ["IsDone", "DueDate", "Id"]);
            migrationBuilder.DropIndexConcurrently("IX_Todos_IsDone_DueDate");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndexConcurrently("IX_Todos_IsDone_DueDate", "Todos", ["IsDone", "DueDate"]);
            migrationBuilder.DropIndexConcurrently("IX_Todos_IsDone_DueDate_Id");
        }
    }
}
