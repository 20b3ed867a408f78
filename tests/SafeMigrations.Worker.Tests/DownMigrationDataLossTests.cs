using SafeMigrations.Online;

namespace SafeMigrations.Worker.Tests;

/// <summary>Which down-migrations destroy data, and how the worker counts and names it.</summary>
public sealed class DownMigrationDataLossTests
{
    [Fact]
    public void Reverting_every_migration_drops_the_update_time_the_due_date_then_the_table()
    {
        var reverted = DataMigrations.All().Reverse();

        var atRisk = DownMigrationDataLoss.Of(reverted);

        Assert.Equal(
            [
                // AddUpdatedAt's Down is hand-written SQL (ALTER TABLE … DROP COLUMN IF EXISTS "UpdatedAt").
                ("AddUpdatedAt drops Todos.UpdatedAt: 42 non-null values", """SELECT count("UpdatedAt") FROM "Todos" """.TrimEnd()),
                ("AddDueDate drops Todos.DueDate: 42 non-null values", """SELECT count("DueDate") FROM "Todos" """.TrimEnd()),
                ("InitialSchema drops table Todos: 42 rows", """SELECT count(*) FROM "Todos" """.TrimEnd()),
            ],
            atRisk.Select(r => (r.Describe(42), r.CountSql)));
    }

    [Fact]
    public void A_single_value_or_row_is_named_in_the_singular()
    {
        var atRisk = DownMigrationDataLoss.Of([DataMigrations.Named("AddDueDate"), DataMigrations.Named("InitialSchema")]);

        Assert.Equal(
            ["AddDueDate drops Todos.DueDate: 1 non-null value", "InitialSchema drops table Todos: 1 row"],
            atRisk.Select(r => r.Describe(1)));
    }

    [Fact]
    public void Dropping_an_index_or_a_constraint_loses_nothing()
    {
        var down = new TestMigration(up: _ => { }, down: b =>
        {
            b.DropIndex(name: "IX_Todos_IsDone_DueDate", table: "Todos");
            b.Sql("""ALTER TABLE "Todos" DROP CONSTRAINT IF EXISTS "CK_Todos_UpdatedAt_NotNull";""");
        });

        Assert.Empty(DownMigrationDataLoss.Of([("20990101000000_DropsIndex", down)]));
    }

    [Fact]
    public void A_schema_qualified_column_is_counted_in_its_schema()
    {
        var down = new TestMigration(up: _ => { }, down: b => b.DropColumn(name: "Note", table: "Todos", schema: "app"));

        var atRisk = Assert.Single(DownMigrationDataLoss.Of([("20990101000000_AddNote", down)]));

        Assert.Equal("""SELECT count("Note") FROM "app"."Todos" """.TrimEnd(), atRisk.CountSql);
        Assert.Equal("AddNote drops app.Todos.Note: 3 non-null values", atRisk.Describe(3));
    }

    [Fact]
    public void The_expand_step_of_a_column_rename_is_guarded_as_data_loss_going_down()
    {
        // Its Down drops the new column, which by then holds every row's value under the new name.
        var expand = new TestMigration(
            up: b => b.ExpandColumnRename("Todos", "Title", "Name", "character varying(200)"),
            down: b => b.RevertExpandColumnRename("Todos", "Title", "Name"));

        Assert.Equal(["RenameTitleToName drops Todos.Name: 7 non-null values"],
            DownMigrationDataLoss.Of([("20990101000000_RenameTitleToName", expand)]).Select(r => r.Describe(7)));
    }

    [Fact]
    public void Rows_a_Down_deletes_are_counted_and_SQL_the_reader_cannot_classify_needs_consent_uncounted()
    {
        var down = new TestMigration(up: _ => { }, down: b =>
        {
            b.Sql("""DELETE FROM "Todos" WHERE "IsDone";""");
            b.Sql("SELECT archive_and_reset_todos();");
        });

        var atRisk = DownMigrationDataLoss.Of([("20990101000000_Cleanup", down)]);

        Assert.Equal(2, atRisk.Count);
        Assert.Equal("Cleanup deletes from Todos: 5 rows", atRisk[0].Describe(5));
        Assert.NotNull(atRisk[0].CountSql);
        Assert.Null(atRisk[1].CountSql);
        Assert.StartsWith("Cleanup runs SELECT archive_and_reset_todos()", atRisk[1].DescribeUncounted(), StringComparison.Ordinal);
        Assert.EndsWith(", which the guard cannot classify", atRisk[1].DescribeUncounted(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_statement_hidden_in_dollar_quotes_or_comments_is_still_read()
    {
        var down = new TestMigration(up: _ => { }, down: b => b.Sql("""
            /* a comment /* nested */ DROP TABLE "Todos"; */
            DO $body$ BEGIN TRUNCATE "Todos"; END $body$;
            """));

        var atRisk = Assert.Single(DownMigrationDataLoss.Of([("20990101000000_Hidden", down)]));

        Assert.Equal("Hidden truncates Todos: 9 rows", atRisk.Describe(9));
    }
}
