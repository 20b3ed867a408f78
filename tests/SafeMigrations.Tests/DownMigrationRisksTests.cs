using Microsoft.EntityFrameworkCore.Migrations;
using SafeMigrations.Online;
using SafeMigrations.Schema;

namespace SafeMigrations.Tests;

/// <summary>
/// What a down-migration destroys, read conservatively: each loss with the query that counts it, every statement the
/// reader cannot classify as harmless, and nothing hidden by quoting, comments or DO blocks.
/// </summary>
public sealed class DownMigrationRisksTests
{
    [Theory]
    // Harmless: what the sample's and the online helpers' Downs do, and other statements that destroy nothing.
    [InlineData("""DROP TRIGGER IF EXISTS "Todos_UpdatedAt" ON "Todos"; DROP FUNCTION IF EXISTS "Todos_UpdatedAt_touch"();""")]
    [InlineData("""DROP INDEX CONCURRENTLY IF EXISTS "IX_Todos_IsDone_DueDate_Id"; DROP VIEW v; DROP SEQUENCE s; DROP TYPE t; DROP SCHEMA app;""")]
    [InlineData("""SELECT set_config('migrations.saved_lock_timeout', current_setting('lock_timeout'), false), set_config('lock_timeout', '0', false);""")]
    [InlineData("""DO $$ BEGIN IF EXISTS (SELECT FROM pg_index WHERE indexrelid = to_regclass('"IX"') AND NOT indisvalid) THEN ALTER INDEX "IX" RENAME TO "IX_invalid"; END IF; END $$;""")]
    [InlineData("""ALTER TABLE "T" ADD CONSTRAINT "CK" CHECK ("C" IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT "CK", DROP CONSTRAINT "CK", ALTER COLUMN "C" DROP NOT NULL, OWNER TO x;""")]
    [InlineData("""CREATE TABLE "Tags" ("Id" int GENERATED ALWAYS AS IDENTITY, "N" text DEFAULT nextval('s')); CREATE INDEX ON "Tags" (lower("N")); INSERT INTO "Tags" ("N") VALUES ('a');""")]
    [InlineData("""NOTIFY jobs, 'DROP TABLE "Todos"'; COMMENT ON TABLE "Todos" IS 'DELETE FROM x'; GRANT EXECUTE ON FUNCTION f(int) TO r; SET lock_timeout = '1s'; LOCK TABLE "Todos";""")]
    public void A_down_that_destroys_nothing_is_harmless(string sql)
    {
        var risks = Down(b => b.Sql(sql));

        Assert.True(risks.IsHarmless, Describe(risks));
    }

    [Theory]
    [InlineData("""DROP TABLE IF EXISTS todos, app."Tags";""",
        """DropTable todos: SELECT count(*) FROM "todos" | DropTable app.Tags: SELECT count(*) FROM "app"."Tags" """)]
    [InlineData("""ALTER TABLE ONLY "Todos" DROP COLUMN IF EXISTS "DueDate" CASCADE, ALTER "Title" TYPE text;""",
        """DropColumn Todos.DueDate: SELECT count("DueDate") FROM "Todos" | ChangeColumnType Todos.Title: SELECT count("Title") FROM "Todos" """)]
    [InlineData("""DELETE FROM "Todos" AS t USING "Tags" g WHERE g."TodoId" = t."Id" RETURNING t."Id";""",
        """DeleteRows Todos: SELECT count(*) FROM "Todos" AS t WHERE (EXISTS (SELECT FROM "Tags" g WHERE g."TodoId" = t."Id")) """)]
    [InlineData("""delete from only todos""", """DeleteRows todos: SELECT count(*) FROM only todos""")]
    [InlineData("""UPDATE "Todos" SET "DueDate" = NULL, ("Title", "IsDone") = ('x', false) WHERE "IsDone";""",
        """OverwriteValues Todos.DueDate, Todos.Title, Todos.IsDone: SELECT count(*) FROM "Todos" WHERE ("DueDate" IS NOT NULL OR "Title" IS NOT NULL OR "IsDone" IS NOT NULL) AND ("IsDone") """)]
    [InlineData("""TRUNCATE TABLE "Todos", app.tags RESTART IDENTITY;""",
        """Truncate Todos, app.tags: SELECT (SELECT count(*) FROM "Todos") + (SELECT count(*) FROM "app"."tags")""")]
    public void Each_loss_comes_with_the_query_that_counts_it(string sql, string expected)
    {
        var risks = Down(b => b.Sql(sql));

        Assert.Empty(risks.Unclassified);
        Assert.Equal(expected.TrimEnd(), string.Join(" | ", risks.Losses.Select(l => $"{l.Kind} {l.Target}: {l.CountSql}")));
    }

    [Fact]
    public void Quoting_and_comments_hide_no_statement()
    {
        // A tagged dollar string with a quote, an escape string, a nested comment: the drop between them is still seen.
        var risks = Down(b => b.Sql(
            """
            DO $do$ BEGIN RAISE NOTICE $m$it's$m$; END $do$;
            /* outer /* inner */ still a comment; DROP TABLE "Nothing"; */
            SELECT E'it\'s';
            ALTER TABLE "Todos" DROP COLUMN "DueDate";
            SELECT 'x';
            """));

        Assert.Empty(risks.Unclassified);
        Assert.Equal(["Todos.DueDate"], risks.Losses.Select(l => l.Target));
    }

    [Theory]
    [InlineData("""DO $$ BEGIN EXECUTE format('DROP TABLE %I', 'Todos'); END $$;""", "runs SQL built at run time", "EXECUTE format(")]
    [InlineData("""SELECT wipe_everything();""", "calls wipe_everything(…)", "SELECT")]
    [InlineData("""SELECT app.count(*) FROM t;""", "calls app.count(…)", "SELECT")]
    [InlineData("""CALL archive_todos();""", "calls a procedure", "CALL")]
    [InlineData("""DO LANGUAGE plperl $$ unlink '/x' $$;""", "a language other than PL/pgSQL", "DO LANGUAGE plperl")]
    [InlineData("""DROP DATABASE other;""", "drops a database", "DROP")]
    [InlineData("""DROP OWNED BY someone;""", "drops everything a role owns", "DROP")]
    [InlineData("""DROP COLLATION c CASCADE;""", "whose dependents the reader does not count", "DROP")]
    [InlineData("""MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE;""", "MERGE is not read", "MERGE")]
    [InlineData("""WITH gone AS (DELETE FROM t RETURNING *) SELECT count(*) FROM gone;""", "a WITH statement that writes", "WITH")]
    [InlineData("""INSERT INTO t (id) VALUES (1) ON CONFLICT (id) DO UPDATE SET x = 2;""", "overwrites rows on conflict", "INSERT")]
    [InlineData("""ALTER TABLE t SPLIT PARTITION p INTO (PARTITION a, PARTITION b);""", "an ALTER TABLE action the reader does not know", "ALTER")]
    [InlineData("""SELECT 'never closed""", "cannot be read", "SELECT")]
    [InlineData("""FROBNICATE ALL THE THINGS;""", "not a statement the reader knows", "FROBNICATE")]
    [InlineData("""DELETE FROM t WHERE CURRENT OF c;""", "cursor's position", "DELETE")]
    [InlineData("""DELETE FROM t WHERE id = pg_terminate_backend(1);""", "calls pg_terminate_backend(…)", "DELETE")]
    public void A_statement_it_cannot_classify_as_harmless_is_named_with_why(string sql, string reason, string quoted)
    {
        var risks = Down(b => b.Sql(sql));

        var unclassified = Assert.Single(risks.Unclassified);
        Assert.Contains(reason, unclassified.Reason, StringComparison.Ordinal);
        Assert.StartsWith(quoted, unclassified.Describe(), StringComparison.Ordinal);
        Assert.Empty(risks.Losses);
    }

    [Fact]
    public void A_statement_inside_a_DO_block_or_a_constant_EXECUTE_is_read_like_any_other()
    {
        var risks = Down(b => b.Sql(
            """
            DO $$
            DECLARE n bigint := 0;
            BEGIN
                <<outer>> LOOP
                    IF n > 0 THEN DELETE FROM "Todos" WHERE "IsDone"; ELSE EXIT outer; END IF;
                END LOOP;
                FOR i IN 1..2 LOOP EXECUTE 'TRUNCATE "Tags"'; END LOOP;
                CASE n WHEN 1 THEN DROP TABLE "Old"; ELSE NULL; END CASE;
            EXCEPTION WHEN others THEN RAISE NOTICE '%', SQLERRM;
            END $$;
            """));

        Assert.Empty(risks.Unclassified);
        Assert.Equal(["DeleteRows Todos", "Truncate Tags", "DropTable Old"], risks.Losses.Select(l => $"{l.Kind} {l.Target}"));
    }

    [Fact]
    public void Drop_cascade_and_drop_extension_count_what_depends_on_the_objects()
    {
        var risks = Down(b => b.Sql("""DROP SCHEMA IF EXISTS app CASCADE; DROP TYPE mood, "Shade" CASCADE; DROP FUNCTION f(int) CASCADE; DROP EXTENSION hstore;"""));

        Assert.Empty(risks.Unclassified);
        Assert.Equal(["DropCascade app", "DropCascade mood, Shade", "DropCascade f", "DropCascade hstore"], risks.Losses.Select(l => $"{l.Kind} {l.Target}"));
        Assert.Contains("""to_regnamespace('"app"')""", risks.Losses[0].CountSql, StringComparison.Ordinal);
        Assert.Contains("""to_regprocedure('"f"(int)')""", risks.Losses[2].CountSql, StringComparison.Ordinal);
        Assert.Contains("'n', 'a'", risks.Losses[0].CountSql, StringComparison.Ordinal);
        Assert.DoesNotContain("'n'", risks.Losses[3].CountSql, StringComparison.Ordinal); // without CASCADE: the members only
    }

    [Fact]
    public void EF_Core_operations_that_destroy_data_are_losses_and_unknown_ones_unclassified()
    {
        var risks = Down(b =>
        {
            b.DropColumn(name: "Note", table: "Todos", schema: "app");
            b.AlterColumn<long>(name: "Size", table: "Todos", type: "bigint", oldClrType: typeof(int), oldType: "integer");
            b.AlterColumn<int>(name: "Total", table: "Todos", computedColumnSql: "\"A\" + \"B\"", stored: true, oldClrType: typeof(int));
            b.DeleteData(table: "Tags", keyColumn: "Id", keyValues: [1, 2]);
            b.UpdateData(table: "Colors", keyColumn: "Name", keyValue: "it's", column: "Hex", value: "red");
            b.DeleteData(table: "Events", keyColumn: "At", keyValue: DateTime.UnixEpoch);
            b.DropIndex(name: "IX", table: "Todos");
            b.DropForeignKey(name: "FK", table: "Tags");
            b.DropTable(name: "Todos");
            b.Operations.Add(new Npgsql.EntityFrameworkCore.PostgreSQL.Migrations.Operations.NpgsqlDropDatabaseOperation { Name = "x" });
        });

        Assert.Equal(
            [
                """DropColumn app.Todos.Note: SELECT count("Note") FROM "app"."Todos" """.TrimEnd(),
                """ChangeColumnType Todos.Size: SELECT count("Size") FROM "Todos" """.TrimEnd(),
                """DropColumn Todos.Total: SELECT count("Total") FROM "Todos" """.TrimEnd(),
                """DeleteRows Tags: SELECT count(*) FROM "Tags" WHERE ("Id" = 1) OR ("Id" = 2)""",
                """OverwriteValues Colors.Hex: SELECT count(*) FROM "Colors" WHERE ("Hex" IS NOT NULL) AND (("Name" = 'it''s'))""",
                "DeleteRows Events: its key values are of a type the reader does not write as SQL",
                """DropTable Todos: SELECT count(*) FROM "Todos" """.TrimEnd(),
            ],
            risks.Losses.Select(l => $"{l.Kind} {l.Target}: {l.CountSql ?? l.NotCountedBecause}"));
        Assert.Equal(["NpgsqlDropDatabase: is an operation the reader does not know (NpgsqlDropDatabase)"], risks.Unclassified.Select(u => u.Describe()));
    }

    [Fact]
    public void A_count_an_earlier_statement_would_make_wrong_is_not_offered()
    {
        var risks = Down(b => b.Sql(
            """
            ALTER TABLE "Todos" RENAME COLUMN "Title" TO "Name";
            UPDATE "Todos" SET "Done" = true WHERE "Done" IS NULL;
            DELETE FROM "Todos" WHERE "Done";
            ALTER TABLE "Todos" DROP COLUMN "Name";
            ALTER TABLE "Tags" DROP COLUMN "Color";
            """));

        Assert.Equal(
            [
                "OverwriteValues: an earlier statement of the rollback changes Todos",
                "DeleteRows: an earlier statement of the rollback changes Todos",
                "DropColumn: an earlier statement of the rollback renames Todos",
                "DropColumn: counted",
            ],
            risks.Losses.Select(l => $"{l.Kind}: {(l.CountSql is null ? l.NotCountedBecause![..l.NotCountedBecause!.IndexOf(',')] : "counted")}"));
    }

    [Fact]
    public void Several_downs_are_read_as_one_rollback_in_the_order_they_run()
    {
        var newer = new TestMigration(_ => { }, b => b.Sql("""ALTER TABLE "Todos" ADD COLUMN "Title" text;"""));
        var older = new TestMigration(_ => { }, b => b.Sql("""UPDATE "Todos" SET "Title" = "Name"; ALTER TABLE "Todos" DROP COLUMN "Name";"""));

        var risks = DownMigrationRisks.Of([newer, older]);

        // The update only fills the column the newer Down added: nothing of the user's is overwritten.
        Assert.True(risks[0].IsHarmless);
        Assert.Equal(["DropColumn Todos.Name"], risks[1].Losses.Select(l => $"{l.Kind} {l.Target}"));
        Assert.Same(older, risks[1].Migration);
    }

    [Fact]
    public void The_online_helpers_downs_are_read_for_what_they_drop()
    {
        var revertExpand = Down(b => b.RevertExpandColumnRename("Todos", "Title", "Name"));
        var revertContract = Down(b => b.RevertContractColumnRename("Todos", "Title", "Name", "character varying(200)"));
        var index = Down(b => b.CreateIndexConcurrently("IX", "Todos", ["A"]).DropIndexConcurrently("IX_Old").SetNotNullOnline("Todos", "A"));

        Assert.Equal(["DropColumn Todos.Name"], revertExpand.Losses.Select(l => $"{l.Kind} {l.Target}"));
        Assert.Empty(revertExpand.Unclassified);
        // Adding the old column back and copying into it overwrites nothing.
        Assert.True(revertContract.IsHarmless, Describe(revertContract));
        Assert.True(index.IsHarmless, Describe(index));
    }

    [Fact]
    public void Describes_each_loss_for_a_refusal()
    {
        var risks = Down(b => b.Sql("""DROP TABLE "Todos"; DELETE FROM "Tags"; UPDATE "Colors" SET "Hex" = NULL; TRUNCATE "Logs"; DROP SCHEMA app CASCADE; DELETE FROM "Tags";"""));

        Assert.Equal(
            [
                "drops table Todos: 1 row",
                "deletes from Tags: 2 rows",
                "overwrites Colors.Hex: 3 rows holding a value",
                "truncates Logs: 4 rows",
                "drops app with CASCADE: 5 rows and non-null values",
                "deletes from Tags (DELETE FROM \"Tags\"), which cannot be counted beforehand: an earlier statement of the rollback changes Tags, so a count taken before it would not hold",
            ],
            risks.Losses.Select((l, i) => l.CountSql is null ? l.Describe() : l.Describe(i + 1)));
    }

    [Fact]
    public void A_missing_migration_is_refused()
    {
        Assert.Throws<ArgumentNullException>(() => DownMigrationRisks.Of((Migration)null!));
        Assert.Throws<ArgumentNullException>(() => DownMigrationRisks.Of((IEnumerable<Migration>)null!));
        Assert.Throws<ArgumentNullException>(() => DownMigrationRisks.Of([null!]));
    }

    private static DownMigrationRisks Down(Action<MigrationBuilder> down) => DownMigrationRisks.Of(new TestMigration(_ => { }, down));

    private static string Describe(DownMigrationRisks risks) =>
        string.Join("; ", risks.Losses.Select(l => l.Describe(0)).Concat(risks.Unclassified.Select(u => u.Describe())));
}
