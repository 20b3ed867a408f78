using IntegrationTests;
using Microsoft.EntityFrameworkCore.Migrations;
using TestWorker;

namespace SafeMigrations.Worker.Tests;

/// <summary>
/// The checks of the data before a migration goes up, on real PostgreSQL: a unique index over duplicates, SET NOT NULL
/// over NULLs, a foreign key over orphans, a check constraint over rows violating it and a narrowed string column over
/// longer values are counted; through the worker, such a migration is refused with exit 2
/// and the counts, and nothing moves.
/// </summary>
public sealed class PendingDataChecksTests(PostgresServer server)
{
    [Fact]
    public async Task A_unique_index_over_duplicates_and_NOT_NULL_over_NULLs_exit_2_with_the_counts_and_change_nothing_then_pass_once_fixed()
    {
        var (catalog, orders) = (await server.NewDatabaseAsync(), await server.NewDatabaseAsync());
        Assert.Equal(ExitCodes.Success, (await TestWorkerProcess.RunAsync(catalog, orders)).ExitCode); // seeds Kettle, Teapot
        await TestWorkerProcess.QueryAsync<int>(catalog, """
            INSERT INTO "Products" ("Name", "Price") VALUES ('Kettle', 12), ('Kettle', 13), ('Teapot', NULL), ('Cup', 2);
            UPDATE "Products" SET "Price" = 1 WHERE "Price" IS NULL AND "Id" <= 1; SELECT 1
            """);
        var withChecks = new Dictionary<string, string> { [DataChecksContext.Setting.Replace(":", "__")] = "true" };

        var refused = await TestWorkerProcess.RunAsync(catalog, orders, withChecks);

        Assert.Equal(ExitCodes.InvalidArguments, refused.ExitCode);
        Assert.Equal(
            ["DataChecksContext: Refusing to migrate: UniqueNamesAndPrices: unique index on Products.Name would fail: 2 duplicate value(s); " +
             "UniqueNamesAndPrices: SET NOT NULL on Products.Price would fail: 2 NULL value(s). Nothing was migrated. " +
             "Fix the data (or the migration), then run again."],
            TestWorkerProcess.Logged(refused, "Error"));
        Assert.Empty(await TestWorkerProcess.HistoryAsync(catalog, DataChecksContext.HistoryTable));
        Assert.Equal([0L], await TestWorkerProcess.QueryAsync<long>(catalog, "SELECT count(*) FROM pg_indexes WHERE indexname = 'IX_Products_Name'"));

        // --plan shows the same counts, with the verdict, and changes nothing.
        var plan = await TestWorkerProcess.RunAsync(catalog, orders, withChecks, "--plan");
        Assert.True(plan.ExitCode == ExitCodes.Success, plan.Output);
        Assert.Contains("  UniqueNamesAndPrices: blocks the app for an estimated 0 s: a data check fails: a migrate refuses it\n", plan.Output);
        Assert.Contains("    data check: unique index on Products.Name would fail: 2 duplicate value(s)\n", plan.Output);
        Assert.Contains("    data check: SET NOT NULL on Products.Price would fail: 2 NULL value(s)\n", plan.Output);
        Assert.Empty(await TestWorkerProcess.HistoryAsync(catalog, DataChecksContext.HistoryTable));

        await TestWorkerProcess.QueryAsync<int>(catalog, """
            DELETE FROM "Products" p USING "Products" q WHERE p."Name" = q."Name" AND p."Id" > q."Id";
            UPDATE "Products" SET "Price" = 0 WHERE "Price" IS NULL; SELECT 1
            """);
        var passed = await TestWorkerProcess.RunAsync(catalog, orders, withChecks);

        Assert.True(passed.ExitCode == ExitCodes.Success, passed.Output);
        Assert.Equal(["20260105000000_UniqueNamesAndPrices"], await TestWorkerProcess.HistoryAsync(catalog, DataChecksContext.HistoryTable));
    }

    [Fact]
    public async Task A_foreign_key_over_orphans_exits_2_with_the_count_and_changes_nothing_then_passes_once_fixed()
    {
        var (catalog, orders) = (await server.NewDatabaseAsync(), await server.NewDatabaseAsync());
        Assert.Equal(ExitCodes.Success, (await TestWorkerProcess.RunAsync(catalog, orders)).ExitCode);
        await TestWorkerProcess.QueryAsync<int>(catalog, """
            CREATE TABLE "Lists" ("Id" int PRIMARY KEY); CREATE TABLE "Items" ("Id" int PRIMARY KEY, "ListId" int);
            INSERT INTO "Lists" VALUES (1); INSERT INTO "Items" VALUES (1, 1), (2, 7), (3, 8), (4, NULL); SELECT 1
            """);
        var withCheck = new Dictionary<string, string> { [ForeignKeyCheckContext.Setting.Replace(":", "__")] = "true" };

        var refused = await TestWorkerProcess.RunAsync(catalog, orders, withCheck);

        Assert.Equal(ExitCodes.InvalidArguments, refused.ExitCode);
        Assert.Equal(
            ["ForeignKeyCheckContext: Refusing to migrate: ItemsReferenceLists: foreign key from Items.ListId to Lists would fail: " +
             "2 row(s) referencing nothing. Nothing was migrated. Fix the data (or the migration), then run again."],
            TestWorkerProcess.Logged(refused, "Error"));
        Assert.Empty(await TestWorkerProcess.HistoryAsync(catalog, ForeignKeyCheckContext.HistoryTable));
        Assert.Equal([0L], await TestWorkerProcess.QueryAsync<long>(catalog, "SELECT count(*) FROM pg_constraint WHERE conname = 'FK_Items_Lists'"));

        await TestWorkerProcess.QueryAsync<int>(catalog, """INSERT INTO "Lists" VALUES (7), (8); SELECT 1""");
        var passed = await TestWorkerProcess.RunAsync(catalog, orders, withCheck);

        Assert.True(passed.ExitCode == ExitCodes.Success, passed.Output);
        Assert.Equal(["20260106000000_ItemsReferenceLists"], await TestWorkerProcess.HistoryAsync(catalog, ForeignKeyCheckContext.HistoryTable));
    }

    [Fact]
    public async Task Each_check_counts_on_real_data_and_one_whose_table_does_not_exist_yet_counts_nothing()
    {
        var database = await server.NewEmptyDatabaseAsync();
        await TestWorkerProcess.QueryAsync<int>(database, """
            CREATE TABLE "Lists" ("Id" int PRIMARY KEY);
            CREATE TABLE "Items" ("Id" int, "ListId" int, "Code" text, "Tenant" int, "Label" character varying(50));
            INSERT INTO "Lists" VALUES (1);
            INSERT INTO "Items" VALUES (1, 1, 'a', 1, 'short'), (2, 7, 'a', 1, 'a label of twelve'), (3, 8, 'a', 2, NULL),
                                       (4, NULL, NULL, 1, NULL), (5, NULL, NULL, -1, NULL); SELECT 1
            """);
        var migration = new TestMigration(up: b =>
        {
            b.AddForeignKey("FK_Items_Lists", "Items", "ListId", "Lists", principalColumn: "Id");
            b.AddUniqueConstraint("AK_Items_Tenant_Code", "Items", ["Tenant", "Code"]);
            b.AlterColumn<string>("Code", "Items", nullable: false, oldNullable: true);
            b.CreateIndex("IX_Missing", "NotYetCreated", "Code", unique: true);
            b.AddCheckConstraint("CK_Items_Tenant", "Items", "\"Tenant\" > 0");
            b.AddCheckConstraint("CK_Missing", "NotYetCreated", "\"Code\" <> ''");
            b.AlterColumn<string>("Label", "Items", maxLength: 10, oldMaxLength: 50, nullable: true, oldNullable: true);
            b.AlterColumn<string>("Code", "Items", type: "character varying(1)", oldType: "text", nullable: true, oldNullable: true);
        }, down: _ => { });

        var checks = PendingDataChecks.Of([("20990101000000_Tighten", migration)]);
        var counts = new List<string>();
        foreach (var check in checks)
        {
            var exists = (await TestWorkerProcess.QueryAsync<bool>(database, $"SELECT {check.ExistsSql}")).Single();
            counts.Add(check.Describe(exists ? (await TestWorkerProcess.QueryAsync<long>(database, check.CountSql)).Single() : 0));
        }

        Assert.Equal(
            [
                "Tighten: foreign key from Items.ListId to Lists would fail: 2 row(s) referencing nothing",
                "Tighten: unique constraint on Items.(Tenant, Code) would fail: 1 duplicate value(s)",
                "Tighten: SET NOT NULL on Items.Code would fail: 2 NULL value(s)",
                "Tighten: unique index on NotYetCreated.Code would fail: 0 duplicate value(s)",
                "Tighten: check constraint CK_Items_Tenant on Items would fail: 1 row(s) violating it",
                "Tighten: check constraint CK_Missing on NotYetCreated would fail: 0 row(s) violating it",
                "Tighten: narrowing Items.Label to 10 characters would fail: 1 longer value(s)",
                "Tighten: narrowing Items.Code to 1 characters would fail: 0 longer value(s)",
            ],
            counts);
    }

    [Fact]
    public void Nothing_after_SQL_or_a_data_operation_is_checked_since_it_may_fix_the_data()
    {
        var migration = new TestMigration(up: b =>
        {
            b.CreateIndex("IX_Todos_Title", "Todos", "Title", unique: true);
            b.Sql("""DELETE FROM "Todos" a USING "Todos" b WHERE a."Title" = b."Title" AND a."Id" > b."Id";""");
            b.CreateIndex("IX_Todos_Code", "Todos", "Code", unique: true);
        }, down: _ => { });

        Assert.Equal(["unique index on Todos.Title"], PendingDataChecks.Of([("20990101000000_Dedupe", migration)]).Select(c => c.What));
    }
}
