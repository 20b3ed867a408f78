using SafeMigrations.Online;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using SafeMigrations.Worker;

namespace IntegrationTests;

/// <summary>
/// The expand/contract rename of <c>Todos.Title</c> to <c>Name</c> (<see cref="ColumnRenameMigrationBuilderExtensions"/>)
/// on a real table: while the expand step runs and after it, a release that writes only <c>Title</c> and one that
/// writes only <c>Name</c> both keep working and every row holds the same value under both names; each step, and
/// each revert, is safe to run twice and keeps every value.
/// </summary>
public sealed class ColumnRenameTests(PostgresServer server)
{
    private const int Rows = 20_000;
    private const int BatchSize = 1_000;

    [Fact]
    public async Task Expand_keeps_old_and_new_column_equal_under_writes_of_the_old_and_the_new_release()
    {
        var db = await MigratedDatabaseWithRowsAsync();
        await using var test = await Database.OpenAsync(db, "test");

        // The release still serving knows only Title; it writes through the whole migration.
        await using var oldRelease = await StatementLoop.StartAsync(db, "old-release", i => i % 2 == 0
            ? """INSERT INTO "Todos" ("Title", "IsDone") VALUES ('old ' || clock_timestamp(), false)"""
            : $"""UPDATE "Todos" SET "Title" = 'old ' || clock_timestamp() WHERE "Id" = {Random.Shared.Next(1, Rows)}""");
        var expand = MigrationOperations.ApplyAsync(db, b => b.ExpandColumnRename("Todos", "Title", "Name", "character varying(200)", BatchSize));
        // The new release knows only Name; it starts as soon as the column exists, while the copy is still running.
        await Database.WaitUntilAsync(test, "SELECT EXISTS (SELECT FROM pg_trigger WHERE tgname = 'Todos_Title_Name_sync')");
        await using var newRelease = await StatementLoop.StartAsync(db, "new-release", i => i % 2 == 0
            ? """INSERT INTO "Todos" ("Name", "IsDone") VALUES ('new ' || clock_timestamp(), false)"""
            : $"""UPDATE "Todos" SET "Name" = 'new ' || clock_timestamp() WHERE "Id" = {Random.Shared.Next(1, Rows)}""");
        await expand;
        // Both go on writing after the copy.
        var (oldBefore, newBefore) = (oldRelease.Completed, newRelease.Completed);
        await Poll.UntilAsync(_ => Task.FromResult(oldRelease.Completed > oldBefore + 100 && newRelease.Completed > newBefore + 100));
        await oldRelease.StopAsync();
        await newRelease.StopAsync();

        Assert.Empty(oldRelease.Errors);
        Assert.Empty(newRelease.Errors);
        Assert.Equal([0L], await Database.QueryAsync<long>(test, """SELECT count(*) FROM "Todos" WHERE "Name" IS DISTINCT FROM "Title" """));
        Assert.Equal([0L], await Database.QueryAsync<long>(test, """SELECT count(*) FROM "Todos" WHERE "Name" IS NULL"""));
        // Each release's inserts and updates arrived under the other's name (rows past the prefilled ones are inserts).
        foreach (var (release, column) in new[] { ("old", "Name"), ("new", "Title") })
        {
            foreach (var rows in new[] { $"\"Id\" <= {Rows}", $"\"Id\" > {Rows + 3}" })
            {
                var written = await Database.QueryAsync<long>(test, $"""SELECT count(*) FROM "Todos" WHERE "{column}" LIKE '{release} %' AND {rows}""");
                Assert.True(written.Single() > 0, $"No row with {column} written by the {release} release where {rows}.");
            }
        }
    }

    [Fact]
    public async Task Every_step_and_its_revert_is_safe_to_run_twice_and_keeps_every_value()
    {
        var db = await MigratedDatabaseWithRowsAsync();
        await using var test = await Database.OpenAsync(db, "test");
        var titles = await ValuesAsync(test, "Title");

        await TwiceAsync(db, b => b.ExpandColumnRename("Todos", "Title", "Name", "character varying(200)", BatchSize));
        Assert.Equal(titles, await ValuesAsync(test, "Name"));
        Assert.Equal(["Name", "Title"], await ColumnsAsync(test));

        await TwiceAsync(db, b => b.ContractColumnRename("Todos", "Title", "Name"));
        Assert.Equal(["Name"], await ColumnsAsync(test));
        Assert.Equal(titles, await ValuesAsync(test, "Name"));
        Assert.Equal([0L], await Database.QueryAsync<long>(test,
            "SELECT (SELECT count(*) FROM pg_trigger WHERE tgname = 'Todos_Title_Name_sync') + (SELECT count(*) FROM pg_proc WHERE proname = 'Todos_Title_Name_sync')"));

        await TwiceAsync(db, b => b.RevertContractColumnRename("Todos", "Title", "Name", "character varying(200)", BatchSize));
        Assert.Equal(["Name", "Title"], await ColumnsAsync(test));
        Assert.Equal(titles, await ValuesAsync(test, "Title"));
        await Database.ExecuteAsync(test, """UPDATE "Todos" SET "Name" = 'renamed again' WHERE "Id" = 1""");
        Assert.Equal(["renamed again"], await Database.QueryAsync<string>(test, """SELECT "Title" FROM "Todos" WHERE "Id" = 1"""));

        await TwiceAsync(db, b => b.RevertExpandColumnRename("Todos", "Title", "Name"));
        Assert.Equal(["Title"], await ColumnsAsync(test));
        Assert.Equal(["renamed again", .. titles.Skip(1)], await ValuesAsync(test, "Title"));
    }

    /// <summary>A database the worker migrated to the latest and seeded, with <see cref="Rows"/> more to-dos.</summary>
    private async Task<string> MigratedDatabaseWithRowsAsync()
    {
        var db = await server.NewDatabaseAsync();
        var worker = await WorkerProcess.RunAsync(db);
        Assert.True(worker.ExitCode == ExitCodes.Success, worker.Output);
        await using var connection = await Database.OpenAsync(db, "test-setup");
        await Database.ExecuteAsync(connection,
            $"""INSERT INTO "Todos" ("Title", "IsDone") SELECT 'bulk ' || n, n % 5 = 0 FROM generate_series(1, {Rows}) AS n""");
        return db;
    }

    private static async Task TwiceAsync(string connectionString, Action<MigrationBuilder> step)
    {
        await MigrationOperations.ApplyAsync(connectionString, step);
        await MigrationOperations.ApplyAsync(connectionString, step);
    }

    private static Task<List<string>> ValuesAsync(Npgsql.NpgsqlConnection connection, string column) =>
        Database.QueryAsync<string>(connection, $"""SELECT "{column}" FROM "Todos" ORDER BY "Id" """);

    private static Task<List<string>> ColumnsAsync(Npgsql.NpgsqlConnection connection) =>
        Database.QueryAsync<string>(connection,
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'Todos' AND column_name IN ('Title', 'Name') ORDER BY 1");
}
