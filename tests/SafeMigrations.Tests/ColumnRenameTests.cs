using System.Text;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using SafeMigrations.ExpandContract;
using SafeMigrations.Online;
using SafeMigrations.Schema;

namespace SafeMigrations.Tests;

/// <summary>
/// The expand/contract column rename (<see cref="ColumnRenameMigrationBuilderExtensions"/>): the SQL each step writes,
/// how the expand/contract rules and the data-loss guard see each step, and its names within PostgreSQL's 63 bytes.
/// </summary>
public sealed class ColumnRenameTests
{
    private const string SyncFunction =
        """
        CREATE OR REPLACE FUNCTION "Todos_Title_Name_sync"() RETURNS trigger LANGUAGE plpgsql AS $sync$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                IF NEW."Name" IS NULL THEN
                    NEW."Name" := NEW."Title";
                ELSIF NEW."Title" IS NULL THEN
                    NEW."Title" := NEW."Name";
                END IF;
            ELSIF NEW."Title" IS DISTINCT FROM OLD."Title" AND NEW."Name" IS NOT DISTINCT FROM OLD."Name" THEN
                NEW."Name" := NEW."Title";
            ELSIF NEW."Name" IS DISTINCT FROM OLD."Name" AND NEW."Title" IS NOT DISTINCT FROM OLD."Title" THEN
                NEW."Title" := NEW."Name";
            END IF;
            RETURN NEW;
        END $sync$;
        """;

    private const string SyncTrigger =
        """CREATE OR REPLACE TRIGGER "Todos_Title_Name_sync" BEFORE INSERT OR UPDATE ON "Todos" FOR EACH ROW EXECUTE FUNCTION "Todos_Title_Name_sync"();""";

    [Fact]
    public void Expand_adds_the_new_column_and_the_trigger_in_the_transaction_then_copies_in_batches_outside_it()
    {
        var operations = Operations(b => b.ExpandColumnRename("Todos", "Title", "Name", "character varying(200)", batchSize: 500));

        Assert.Equal(4, operations.Count);
        Assert.Equal("""ALTER TABLE "Todos" ADD COLUMN IF NOT EXISTS "Name" character varying(200);""", operations[0].Sql);
        Assert.Equal(SyncFunction, operations[1].Sql);
        Assert.Equal(SyncTrigger, operations[2].Sql);
        Assert.All(operations.Take(3), o => Assert.False(o.SuppressTransaction));

        var backfill = operations[3];
        Assert.True(backfill.SuppressTransaction);
        Assert.Contains("""SELECT min("Id") INTO batch_start FROM "Todos" WHERE "Name" IS NULL AND "Title" IS NOT NULL;""", backfill.Sql);
        Assert.Contains(""""UPDATE "Todos" SET "Name" = "Title"""", backfill.Sql);
        Assert.Contains("""WHERE "Id" >= batch_start AND "Id" < batch_end AND ("Name" IS NULL AND "Title" IS NOT NULL);""", backfill.Sql);
        Assert.Contains("batch_end := batch_start + 500;", backfill.Sql);
    }

    [Fact]
    public void Contract_drops_the_trigger_its_function_and_the_old_column_in_one_transaction()
    {
        var operation = Assert.Single(Operations(b => b.ContractColumnRename("Todos", "Title", "Name")));

        Assert.Equal(
            """
            DROP TRIGGER IF EXISTS "Todos_Title_Name_sync" ON "Todos";
            DROP FUNCTION IF EXISTS "Todos_Title_Name_sync"();
            ALTER TABLE "Todos" DROP COLUMN IF EXISTS "Title";
            """,
            operation.Sql);
        Assert.False(operation.SuppressTransaction);
    }

    [Fact]
    public void Reverting_the_expand_drops_the_new_column_and_reverting_the_contract_restores_the_old_one_in_sync()
    {
        var revertExpand = Assert.Single(Operations(b => b.RevertExpandColumnRename("Todos", "Title", "Name")));
        var revertContract = Operations(b => b.RevertContractColumnRename("Todos", "Title", "Name", "character varying(200)"));

        Assert.EndsWith("""ALTER TABLE "Todos" DROP COLUMN IF EXISTS "Name";""", revertExpand.Sql);
        Assert.Contains("""DROP TRIGGER IF EXISTS "Todos_Title_Name_sync" ON "Todos";""", revertExpand.Sql);
        // The same trigger as the expand step's (it syncs both ways); the old column is the one added and filled.
        Assert.Equal(
            ["""ALTER TABLE "Todos" ADD COLUMN IF NOT EXISTS "Title" character varying(200);""", SyncFunction, SyncTrigger],
            revertContract.Take(3).Select(o => o.Sql));
        Assert.Contains(""""UPDATE "Todos" SET "Title" = "Name"""", revertContract[3].Sql);
        Assert.Contains("""WHERE "Title" IS NULL AND "Name" IS NOT NULL""", revertContract[3].Sql);
    }

    [Fact]
    public void The_expand_step_passes_the_expand_contract_rules()
    {
        var expand = new TestMigration(
            up: b => b.ExpandColumnRename("Todos", "Title", "Name", "character varying(200)"),
            down: b => b.RevertExpandColumnRename("Todos", "Title", "Name"));

        Assert.Equal(["AddColumn Todos.Name"], SchemaChanges.Of(expand).Select(c => $"{c.Kind} {c.Target}"));
        Assert.Empty(ExpandContractRules.Problems("RenameTitleToName", expand));
    }

    [Fact]
    public void The_contract_step_breaks_the_drop_rule_until_reviewed()
    {
        var problem = Assert.Single(ExpandContractRules.Problems("DropTitle", new TestMigration(b => b.ContractColumnRename("Todos", "Title", "Name"))));

        Assert.StartsWith("DropTitle: SQL that does DropColumn on Todos.Title breaks DropsTableOrColumn:", problem.Message);
        // The documented contract migration also makes Name NOT NULL: reviewed for both rules, it passes.
        Assert.Empty(ExpandContractRules.Problems("DropTitle", new ContractTitleToName()));
    }

    [Theory]
    [InlineData("Todos", "Title", "Name", "Todos_Title_Name_sync")]
    // 63 bytes exactly: kept as it is.
    [InlineData("Todos", "T", "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWX", "Todos_T_ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWX_sync")]
    public void The_trigger_is_named_after_the_table_and_both_columns(string table, string oldName, string newName, string expected)
    {
        Assert.Equal(expected, ColumnRenameMigrationBuilderExtensions.SyncTriggerName(table, oldName, newName));
        Assert.True(Encoding.UTF8.GetByteCount(expected) <= 63);
    }

    [Fact]
    public void A_longer_trigger_name_is_shortened_to_63_bytes_with_a_hash_so_two_renames_never_share_one()
    {
        var longTable = new string('t', 40);
        var first = ColumnRenameMigrationBuilderExtensions.SyncTriggerName(longTable, "DescriptionOfTheItem", "Summary");
        var second = ColumnRenameMigrationBuilderExtensions.SyncTriggerName(longTable, "DescriptionOfTheItem", "Synopsis");
        // Two bytes per character: the cut must fall between characters.
        var accented = ColumnRenameMigrationBuilderExtensions.SyncTriggerName(new string('é', 30), "Titre", "Nom");

        Assert.Equal(63, Encoding.UTF8.GetByteCount(first));
        Assert.Matches("^t{40}_DescriptionOf_[0-9a-f]{8}$", first);
        Assert.NotEqual(first, second);
        Assert.Equal(first[..^8], second[..^8]);
        Assert.True(Encoding.UTF8.GetByteCount(accented) <= 63);
        Assert.Matches("^é{27}_[0-9a-f]{8}$", accented);
        // The same rename always gets the same name: the contract step finds the expand step's trigger.
        Assert.Equal(first, ColumnRenameMigrationBuilderExtensions.SyncTriggerName(longTable, "DescriptionOfTheItem", "Summary"));
    }

    [Fact]
    public void Names_that_PostgreSQL_would_truncate_and_a_rename_to_the_same_name_are_refused()
    {
        var tooLong = new string('é', 32); // 32 characters, 64 bytes

        var column = Assert.Throws<ArgumentException>(() => Operations(b => b.ExpandColumnRename("Todos", "Title", tooLong, "text")));
        var table = Assert.Throws<ArgumentException>(() => Operations(b => b.ContractColumnRename(new string('x', 64), "Title", "Name")));
        var same = Assert.Throws<ArgumentException>(() => Operations(b => b.ExpandColumnRename("Todos", "Title", "Title", "text")));

        Assert.Equal("newName", column.ParamName);
        Assert.Contains("longer than PostgreSQL's 63 bytes", column.Message);
        Assert.Equal("table", table.ParamName);
        Assert.Equal("newName", same.ParamName);
        Assert.Throws<ArgumentException>(() => Operations(b => b.ExpandColumnRename("Todos", "Title", "Name", " ")));
    }

    private static List<SqlOperation> Operations(Action<MigrationBuilder> build)
    {
        var builder = new MigrationBuilder(TestMigration.Provider);
        build(builder);
        return [.. builder.Operations.Cast<SqlOperation>()];
    }

    /// <summary>The contract migration of docs/online-migrations.md, with its two reviewed markers.</summary>
    [ExpandContractReviewed(ExpandContractRule.DropsTableOrColumn, "No running release reads Title: the release before this one writes Name.")]
    [ExpandContractReviewed(ExpandContractRule.NotNullWithoutDefault, "Every running release writes Name.")]
    private sealed class ContractTitleToName : Migration
    {
        public ContractTitleToName() => ActiveProvider = TestMigration.Provider;

        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.SetNotNullOnline("Todos", "Name");
            migrationBuilder.ContractColumnRename("Todos", oldName: "Title", newName: "Name");
        }
    }
}
