using Microsoft.EntityFrameworkCore.Migrations;
using SafeMigrations.Locks;
using SafeMigrations.Online;

namespace SafeMigrations.Tests;

/// <summary>
/// The locks <see cref="MigrationLocks"/> expects of each kind of step, as PostgreSQL's documentation gives them, and
/// what each does to the rows; the online helpers block nothing for long. What PostgreSQL actually takes for the
/// solution's migrations is checked against this by an integration test.
/// </summary>
public sealed class MigrationLocksTests
{
    private static IReadOnlyList<LockStep> Steps(Action<MigrationBuilder> build)
    {
        var builder = new MigrationBuilder(TestMigration.Provider);
        build(builder);
        return MigrationLocks.Of(builder.Operations);
    }

    private static (string, TableLockMode, TableWork, bool) Shape(LockStep step) => (step.Table, step.Lock, step.Work, step.BlocksApp);

    [Fact]
    public void EF_operations_take_the_documented_locks()
    {
        var steps = Steps(b =>
        {
            b.AddColumn<string>("Note", "Todos", nullable: true);
            b.AddColumn<DateTime>("Seen", "Todos", defaultValueSql: "clock_timestamp()");
            b.AlterColumn<string>("Title", "Todos", maxLength: 300, oldMaxLength: 200);
            b.AlterColumn<long>("Count", "Todos", oldClrType: typeof(int));
            b.AlterColumn<string>("Title", "Todos", nullable: false, oldNullable: true);
            b.CreateIndex("IX_Todos_Title", "Todos", "Title");
            b.AddForeignKey("FK_Todos_Lists", "Todos", "ListId", "Lists", principalColumn: "Id");
            b.AddCheckConstraint("CK_Todos_Title", "Todos", "\"Title\" <> ''");
            b.AddUniqueConstraint("AK_Todos_Title", "Todos", "Title");
            b.DropColumn("Note", "Todos");
        });

        Assert.Equal(
            [
                ("Todos", TableLockMode.AccessExclusive, TableWork.None, true),
                ("Todos", TableLockMode.AccessExclusive, TableWork.Rewrite, true), // a volatile default is computed per row
                ("Todos", TableLockMode.AccessExclusive, TableWork.None, true), // a longer varchar: catalog only
                ("Todos", TableLockMode.AccessExclusive, TableWork.Rewrite, true),
                ("Todos", TableLockMode.AccessExclusive, TableWork.Scan, true),
                ("Todos", TableLockMode.Share, TableWork.IndexBuild, true),
                ("Todos", TableLockMode.ShareRowExclusive, TableWork.Scan, true),
                ("Lists", TableLockMode.ShareRowExclusive, TableWork.None, true),
                ("Todos", TableLockMode.AccessExclusive, TableWork.Scan, true),
                ("Todos", TableLockMode.AccessExclusive, TableWork.IndexBuild, true),
                ("Todos", TableLockMode.AccessExclusive, TableWork.None, true),
            ],
            steps.Select(Shape));
    }

    [Fact]
    public void The_online_helpers_block_neither_reads_nor_writes_while_they_scan_build_or_write()
    {
        var steps = Steps(b =>
        {
            b.BackfillInBatches("Todos", set: "\"UpdatedAt\" = \"CreatedAt\"", pending: "\"UpdatedAt\" IS NULL");
            b.SetNotNullOnline("Todos", "UpdatedAt");
            b.CreateIndexConcurrently("IX_Todos_UpdatedAt", "Todos", ["UpdatedAt"]);
        });

        Assert.All(steps.Where(s => s.Work != TableWork.None), s => Assert.False(s.BlocksApp, s.Statement));
        Assert.Equal(
            [
                ("Todos", TableLockMode.RowExclusive, TableWork.RowWrites, false), // in batches: each row locked for one batch
                ("Todos", TableLockMode.AccessExclusive, TableWork.None, true), // ADD CONSTRAINT … NOT VALID: no scan
                ("Todos", TableLockMode.ShareUpdateExclusive, TableWork.Scan, false), // VALIDATE
                ("Todos", TableLockMode.AccessExclusive, TableWork.None, true), // SET NOT NULL, proven by the valid check
                ("Todos", TableLockMode.AccessExclusive, TableWork.None, true), // DROP CONSTRAINT
                ("", TableLockMode.ShareUpdateExclusive, TableWork.None, false), // a leftover invalid index of an earlier try, dropped concurrently
                ("Todos", TableLockMode.ShareUpdateExclusive, TableWork.IndexBuild, false),
            ],
            steps.Select(Shape));
    }

    [Theory]
    [InlineData("""UPDATE "Todos" SET "Done" = true""", TableLockMode.RowExclusive, TableWork.RowWrites, true)]
    [InlineData("""DELETE FROM "Todos" WHERE "Done" """, TableLockMode.RowExclusive, TableWork.RowWrites, true)]
    [InlineData("""CREATE UNIQUE INDEX "IX" ON "Todos" ("Title")""", TableLockMode.Share, TableWork.IndexBuild, true)]
    [InlineData("""CREATE INDEX CONCURRENTLY "IX" ON public."Todos" ("Title")""", TableLockMode.ShareUpdateExclusive, TableWork.IndexBuild, false)]
    [InlineData("""ALTER TABLE "Todos" ALTER COLUMN "Title" TYPE text""", TableLockMode.AccessExclusive, TableWork.Rewrite, true)]
    [InlineData("""ALTER TABLE "Todos" ALTER COLUMN "Title" SET NOT NULL""", TableLockMode.AccessExclusive, TableWork.Scan, true)]
    [InlineData("""ALTER TABLE "Todos" ADD CONSTRAINT "FK" FOREIGN KEY ("ListId") REFERENCES "Lists" NOT VALID""", TableLockMode.ShareRowExclusive, TableWork.None, true)]
    [InlineData("""ALTER TABLE "Todos" VALIDATE CONSTRAINT "FK" """, TableLockMode.ShareUpdateExclusive, TableWork.Scan, false)]
    [InlineData("""ALTER TABLE "Todos" ADD COLUMN "Id2" bigint GENERATED BY DEFAULT AS IDENTITY""", TableLockMode.AccessExclusive, TableWork.Rewrite, true)]
    [InlineData("""ALTER TABLE "Todos" ADD COLUMN "Flag" boolean NOT NULL DEFAULT false""", TableLockMode.AccessExclusive, TableWork.None, true)]
    [InlineData("""CREATE TRIGGER "T" BEFORE UPDATE ON "Todos" FOR EACH ROW EXECUTE FUNCTION f()""", TableLockMode.ShareRowExclusive, TableWork.None, true)]
    [InlineData("""LOCK TABLE "Todos" IN SHARE UPDATE EXCLUSIVE MODE""", TableLockMode.ShareUpdateExclusive, TableWork.None, false)]
    [InlineData("""TRUNCATE "Todos" """, TableLockMode.AccessExclusive, TableWork.None, true)]
    public void Each_SQL_statement_takes_its_documented_lock(string sql, TableLockMode mode, TableWork work, bool blocks)
    {
        var step = Assert.Single(Steps(b => b.Sql(sql)));

        Assert.Equal(("Todos", mode, work, blocks), Shape(step));
    }

    [Fact]
    public void A_DROP_INDEX_names_only_its_index_so_its_table_is_left_to_the_live_database()
    {
        var steps = Steps(b =>
        {
            b.Sql("""DROP INDEX CONCURRENTLY IF EXISTS "IX_Todos_Old";""");
            b.DropIndex("IX_Todos_Older");
        });

        Assert.Equal(
            [("", "IX_Todos_Old", TableLockMode.ShareUpdateExclusive, false), ("", "IX_Todos_Older", TableLockMode.AccessExclusive, true)],
            steps.Select(s => (s.Table, s.Index, s.Lock, s.BlocksApp)));
        Assert.Equal(("Todos", "the table of index IX_Todos_Old"), (steps[0].OnTable(null, "Todos").Target, steps[0].Target));
    }

    [Fact]
    public void Steps_on_a_table_the_migration_creates_are_left_out_it_holds_no_rows()
    {
        var steps = Steps(b =>
        {
            b.Sql("""CREATE TABLE "Lists" ("Id" int PRIMARY KEY, "Name" text)""");
            b.Sql("""CREATE INDEX "IX_Lists_Name" ON "Lists" ("Name")""");
            b.CreateTable("Tags", t => new { Id = t.Column<int>() });
            b.CreateIndex("IX_Tags_Id", "Tags", "Id");
        });

        Assert.Empty(steps);
    }

    [Theory]
    [InlineData(TableLockMode.AccessExclusive, "ACCESS EXCLUSIVE", true, true)]
    [InlineData(TableLockMode.ShareRowExclusive, "SHARE ROW EXCLUSIVE", true, false)]
    [InlineData(TableLockMode.Share, "SHARE", true, false)]
    [InlineData(TableLockMode.ShareUpdateExclusive, "SHARE UPDATE EXCLUSIVE", false, false)]
    [InlineData(TableLockMode.RowExclusive, "ROW EXCLUSIVE", false, false)]
    public void Lock_modes_are_named_as_PostgreSQL_names_them_and_block_what_its_conflict_table_says(TableLockMode mode, string name, bool writes, bool reads)
    {
        Assert.Equal((name, writes, reads), (mode.ToSql(), mode.BlocksWrites(), mode.BlocksReads()));
    }
}
