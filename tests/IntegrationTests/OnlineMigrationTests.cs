using System.Text.RegularExpressions;
using SafeMigrations.Worker;
using Npgsql;

namespace IntegrationTests;

/// <summary>
/// The online migration (AddUpdatedAt: batched backfill, NOT NULL, index built concurrently) over a filled table:
/// the app keeps writing during it, a kill at any batch is completed by the next run, an interrupted index build is
/// repaired.
/// </summary>
/// <remarks>
/// The benchmark runs it on 1 000 000 rows; these tests use 200 000 (20 batches of the migration's 10 000) to keep the
/// suite short in both modes — enough for writers to meet many batches.
/// </remarks>
public sealed partial class OnlineMigrationTests(PostgresServer server)
{
    private const int Rows = 200_000;
    private const int BatchSize = 10_000;
    private const long PauseLockKey = 4343;

    // A writer may wait for the batch it meets, and the next; the margin is for a loaded machine. A backfill in one
    // transaction would hold the rows' locks for all its batches.
    private static readonly TimeSpan WaitMargin = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Concurrent_writers_keep_succeeding_and_none_waits_more_than_about_one_batch()
    {
        var db = await PrefilledDatabase.CreateAsync(server, Rows);
        await using var test = await Database.OpenAsync(db, "test");

        // Each write puts its own time in the title, to compare with the UpdatedAt it got.
        await using var writers = await StatementLoop.StartAsync(db, "online-test-writer", i => i % 2 == 0
            ? """INSERT INTO "Todos" ("Title", "IsDone") VALUES ('writer ' || now(), false)"""
            : $"""UPDATE "Todos" SET "Title" = 'writer ' || now() WHERE "Id" = {Random.Shared.Next(1, Rows + 1)}""");
        var result = await WorkerProcess.RunAsync(db);
        await writers.StopAsync();

        Assert.True(result.ExitCode == ExitCodes.Success, result.Output);
        var batches = Batches(result.Output);
        Assert.True(batches.Count >= Rows / BatchSize, $"{batches.Count} batches");
        Assert.All(batches, batch => Assert.InRange(batch.Rows, 0, BatchSize));
        // Rows a writer changed before the backfill reached them needed none (the trigger stamped them); rows it added
        // before the column existed needed one.
        Assert.InRange(batches.Sum(b => b.Rows), Rows - writers.Completed, Rows + writers.Completed);

        Assert.Empty(writers.Errors);
        Assert.True(writers.Completed > 0, "The writers completed no statement.");
        var longestBatch = TimeSpan.FromMilliseconds(batches.Max(b => b.Milliseconds));
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{batches.Count} batches, longest {longestBatch.TotalMilliseconds:0} ms, in all {batches.Sum(b => b.Milliseconds)} ms; " +
            $"{writers.Completed} writes, longest {writers.LongestWait.TotalMilliseconds:0} ms.");
        Assert.True(writers.LongestWait <= 2 * longestBatch + WaitMargin,
            $"A writer waited {writers.LongestWait.TotalMilliseconds:0} ms; the longest batch took {longestBatch.TotalMilliseconds:0} ms.");

        Assert.Equal(Migrations.Names, await SchemaSnapshot.HistoryAsync(db));
        Assert.Equal([0L], await Database.QueryAsync<long>(test,
            """SELECT count(*) FROM "Todos" WHERE "Title" LIKE 'bulk %' AND "UpdatedAt" IS DISTINCT FROM "CreatedAt" """));
        // A row a writer added or changed carries the time of that write (the default, the trigger), or, if written
        // before the column existed, its creation time (the backfill); and the trigger did stamp changed rows.
        const string writeTime = """substr("Title", 8)::timestamptz""";
        Assert.Equal([0L], await Database.QueryAsync<long>(test,
            $"""SELECT count(*) FROM "Todos" WHERE "Title" LIKE 'writer %' AND "UpdatedAt" NOT IN ({writeTime}, "CreatedAt")"""));
        // The first change the trigger stamped proves it existed from then on: every later change keeps its stamp (the
        // backfill touches only rows still pending, never one a writer changed ahead of it), and there were such changes.
        var stampedLater = await Database.QueryAsync<string>(test, $"""
            WITH written AS (SELECT "UpdatedAt", "CreatedAt", {writeTime} AS at FROM "Todos" WHERE "Title" LIKE 'writer %' AND "Id" <= {Rows}),
                 first_stamp AS (SELECT min(at) AS at FROM written WHERE "UpdatedAt" = at AND "UpdatedAt" <> "CreatedAt")
            SELECT count(*) FILTER (WHERE written."UpdatedAt" <> written.at) || ' of ' || count(*)
            FROM written, first_stamp WHERE written.at > first_stamp.at
            """);
        Assert.Matches("^0 of [1-9][0-9]*$", stampedLater.Single());
        Assert.Contains("column Todos.UpdatedAt timestamp with time zone NO", await SchemaSnapshot.TakeAsync(db));
        Assert.Equal([true], await IndexValidityAsync(test));
    }

    [Fact]
    public async Task Worker_killed_at_a_random_batch_is_completed_by_the_next_run_with_each_row_backfilled_exactly_once()
    {
        var db = await PrefilledDatabase.CreateAsync(server, Rows);
        await using var test = await Database.OpenAsync(db, "test");
        // Any batch but the first (so that at least one batch has committed when the kill lands: a backfill in one
        // transaction would lose it) and the last (so that the next run has work left).
        var pauseAt = Random.Shared.Next(BatchSize + 1, Rows - BatchSize + 1);
        var batchesBefore = (pauseAt - 1) / BatchSize;
        TestContext.Current.TestOutputHelper?.WriteLine($"The backfill pauses at row {pauseAt}, in batch {batchesBefore + 1}.");

        // Every update of a row is logged in the updating transaction (so a batch rolled back logs nothing).
        await Database.ExecuteAsync(test, """
            CREATE TABLE backfill_log ("Id" integer NOT NULL);
            CREATE FUNCTION log_update() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO backfill_log VALUES (NEW."Id");
                RETURN NEW;
            END $$;
            CREATE TRIGGER log_update AFTER UPDATE ON "Todos" FOR EACH ROW EXECUTE FUNCTION log_update();
            """);
        await using var pause = await BackfillPause.InstallAsync(db, $"NEW.\"Id\" = {pauseAt}", PauseLockKey);

        // A lock timeout longer than the test's pause: what is killed is the backfill waiting, not a retry.
        await using (var worker = WorkerProcess.Start(db, [], new Dictionary<string, string> { ["Migrations__LockTimeout"] = "00:10:00" }))
        {
            await Database.WaitUntilAsync(test, $"SELECT count(*) = 1 {WorkerSession.Running} AND wait_event = 'advisory' AND query LIKE 'DO $backfill$%'");
            worker.Kill();
            await worker.WaitAsync();
        }

        // The server cancels the orphaned batch once it sees the client gone (client_connection_check_interval);
        // where it could not see that, the batch would go on once released, and more batches might commit before
        // reporting to the dead client fails. Either way the batches before the kill stay, the migration is unfinished.
        await pause.ReleaseAsync();
        await Database.WaitUntilAsync(test, WorkerSession.Gone);
        Assert.Equal(["InitialSchema", "AddDueDate"], await SchemaSnapshot.HistoryAsync(db));
        var backfilled = (await Database.QueryAsync<long>(test, """SELECT count("UpdatedAt") FROM "Todos" """)).Single();
        Assert.InRange(backfilled, batchesBefore * BatchSize, Rows);

        var next = await WorkerProcess.RunAsync(db);

        Assert.True(next.ExitCode == ExitCodes.Success, next.Output);
        Assert.Equal(Migrations.Names, await SchemaSnapshot.HistoryAsync(db));
        Assert.Equal([$"{Rows} {Rows}"], await Database.QueryAsync<string>(test,
            """SELECT count(*) || ' ' || count(DISTINCT "Id") FROM backfill_log"""));
        Assert.Equal([0L], await Database.QueryAsync<long>(test,
            """SELECT count(*) FROM "Todos" WHERE "UpdatedAt" IS DISTINCT FROM "CreatedAt" """));
    }

    [Fact]
    public async Task Index_build_interrupted_leaves_an_INVALID_index_that_the_next_run_rebuilds()
    {
        var db = await PrefilledDatabase.CreateAsync(server, rows: 1_000);
        await using var test = await Database.OpenAsync(db, "test");
        // An old transaction (it has a transaction id): CREATE INDEX CONCURRENTLY waits for it before marking the index valid.
        await using var old = await Database.OpenAsync(db, "test-old-transaction");
        await Database.ExecuteAsync(old, "BEGIN; SELECT txid_current()");

        await WorkerSession.InterruptWhileItOutwaitsTheLockTimeoutAsync(db, test, old, "CREATE INDEX CONCURRENTLY");

        // The build was interrupted: the index stays INVALID.
        Assert.Equal([false], await IndexValidityAsync(test));
        var invalidIndex = await Database.QueryAsync<uint>(test, """SELECT to_regclass('"IX_Todos_UpdatedAt"')::oid""");

        var next = await WorkerProcess.RunAsync(db);

        Assert.True(next.ExitCode == ExitCodes.Success, next.Output);
        Assert.Equal([true], await IndexValidityAsync(test));
        Assert.NotEqual(invalidIndex, await Database.QueryAsync<uint>(test, """SELECT to_regclass('"IX_Todos_UpdatedAt"')::oid"""));
        Assert.Equal(["IX_Todos_UpdatedAt"], await Database.QueryAsync<string>(test,
            "SELECT relname::text FROM pg_class WHERE relname LIKE 'IX_Todos_UpdatedAt%'")); // no leftover
        Assert.Equal(Migrations.Names, await SchemaSnapshot.HistoryAsync(db));
    }

    private static Task<List<bool>> IndexValidityAsync(NpgsqlConnection connection) => Database.QueryAsync<bool>(connection,
        """SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('"IX_Todos_UpdatedAt"')""");

    private static List<(int Rows, int Milliseconds)> Batches(string output) =>
        BatchLine().Matches(output).Select(m => (int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value))).ToList();

    [GeneratedRegex(@"Backfill of Todos: (\d+) row\(s\) with Id in \[\d+, \d+\) in (\d+) ms")]
    private static partial Regex BatchLine();
}
