using SafeMigrations.Worker;
using Npgsql;

namespace IntegrationTests;

/// <summary>
/// CoverListOrder on a filled table: the list's index (IsDone, DueDate) replaced by (IsDone, DueDate, Id), both steps
/// online. The drop waits for transactions that have the table open — past the lock timeout, while writes go on — and a
/// drop that was interrupted is finished by the next run; Down puts the old index back the same way.
/// </summary>
public sealed class ListIndexMigrationTests(PostgresServer server)
{
    private const string OldIndex = "IX_Todos_IsDone_DueDate";
    private const string NewIndex = "IX_Todos_IsDone_DueDate_Id";

    /// <summary>The migrations up to the one before CoverListOrder.</summary>
    private static readonly List<string> Before = [.. Migrations.Names.TakeWhile(name => name != "CoverListOrder")];

    [Fact]
    public async Task The_drop_outwaits_the_lock_timeout_without_blocking_writes_and_an_interrupted_drop_is_finished_by_the_next_run()
    {
        var db = await BeforeCoverListOrderAsync();
        await using var test = await Database.OpenAsync(db, "test");
        // A transaction that holds the lock every query on the table takes, and keeps it: the drop waits for it. LOCK
        // takes no snapshot, so the build of the new index goes ahead (it waits for writers and older snapshots only).
        await using var reader = await Database.OpenAsync(db, "test-open-reader");
        await Database.ExecuteAsync(reader, """BEGIN; LOCK TABLE "Todos" IN ACCESS SHARE MODE""");

        // The app writes and lists meanwhile; a blocked statement would hit this timeout and fail the test.
        await WorkerSession.InterruptWhileItOutwaitsTheLockTimeoutAsync(db, test, reader, "DROP INDEX CONCURRENTLY", () => Database.ExecuteAsync(test, """
            SET statement_timeout = '10s';
            INSERT INTO "Todos" ("Title", "IsDone") VALUES ('written while the old index is dropped', false);
            SELECT "Id" FROM "Todos" ORDER BY "IsDone", "DueDate", "Id" LIMIT 51;
            RESET statement_timeout;
            """));

        // The drop was interrupted: the old index stays, INVALID, beside the new one.
        Assert.Equal([$"{OldIndex} invalid", $"{NewIndex} valid"], await ListIndexesAsync(test));
        Assert.Equal(Before, await SchemaSnapshot.HistoryAsync(db));

        var next = await WorkerProcess.RunAsync(db);

        Assert.True(next.ExitCode == ExitCodes.Success, next.Output);
        Assert.Equal([$"{NewIndex} valid"], await ListIndexesAsync(test));
        Assert.Equal(Migrations.Names, await SchemaSnapshot.HistoryAsync(db));
    }

    [Fact]
    public async Task Down_brings_the_old_index_back_and_up_again_replaces_it()
    {
        var db = await BeforeCoverListOrderAsync();
        await using var test = await Database.OpenAsync(db, "test");
        Assert.Equal(ExitCodes.Success, (await WorkerProcess.RunAsync(db)).ExitCode);
        Assert.Equal([$"{NewIndex} valid"], await ListIndexesAsync(test));

        var down = await WorkerProcess.RunAsync(db, "--target", Before[^1]);

        Assert.True(down.ExitCode == ExitCodes.Success, down.Output);
        Assert.Equal([$"{OldIndex} valid"], await ListIndexesAsync(test));
        Assert.Equal(Before, await SchemaSnapshot.HistoryAsync(db));

        var up = await WorkerProcess.RunAsync(db);

        Assert.True(up.ExitCode == ExitCodes.Success, up.Output);
        Assert.Equal([$"{NewIndex} valid"], await ListIndexesAsync(test));
    }

    /// <summary>A database with rows, migrated up to the migration before CoverListOrder.</summary>
    private async Task<string> BeforeCoverListOrderAsync()
    {
        var db = await PrefilledDatabase.CreateAsync(server, rows: 1_000);
        var worker = await WorkerProcess.RunAsync(db, "--target", Before[^1]);
        Assert.True(worker.ExitCode == ExitCodes.Success, worker.Output);
        return db;
    }

    /// <summary>The list's indexes on <c>Todos</c> (old and new name), each with its state.</summary>
    private static Task<List<string>> ListIndexesAsync(NpgsqlConnection connection) => Database.QueryAsync<string>(connection,
        $"""
        SELECT c.relname || CASE WHEN i.indisvalid THEN ' valid' ELSE ' invalid' END
        FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = to_regclass('"Todos"') AND c.relname IN ('{OldIndex}', '{NewIndex}')
        ORDER BY c.relname
        """);
}
