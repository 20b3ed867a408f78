using SafeMigrations.Worker;
using Npgsql;

namespace IntegrationTests;

/// <summary>
/// A worker killed (SIGKILL) in the middle of a long migration: nothing half-applied, and the next run completes. A
/// worker whose lock session is ended under it stops.
/// </summary>
public sealed class WorkerInterruptionTests(PostgresServer server)
{
    private const int Rows = 200_000;
    private const long PauseLockKey = 4242;

    [Fact]
    public async Task Worker_killed_mid_backfill_leaves_the_database_consistent_and_the_next_run_completes()
    {
        var db = await server.NewDatabaseAsync();
        Assert.Equal(ExitCodes.Success, (await WorkerProcess.RunAsync(db, "--target", Migrations.Names[0])).ExitCode);
        await using var test = await Database.OpenAsync(db, "interruption-test");
        await Database.ExecuteAsync(test, $"""INSERT INTO "Todos" ("Title", "IsDone") SELECT 'bulk ' || n, n % 5 = 0 FROM generate_series(1, {Rows}) AS n""");

        // Make the second migration's backfill (UPDATE) stop half-way, so the kill lands inside its transaction.
        await using var pause = await BackfillPause.InstallAsync(db, $"NEW.\"Id\" >= {Rows / 2}", PauseLockKey);

        await using (var worker = WorkerProcess.Start(db, []))
        {
            await WaitUntilBackfillIsBlockedAsync(test);
            worker.Kill();
            await worker.WaitAsync();
        }

        // The server cancels the orphaned statement once it sees the client gone, and rolls back; were it still paused,
        // this would let it go on to its end, where the server finds the client gone all the same.
        await pause.ReleaseAsync();

        // Once the orphaned session is gone, its transaction is rolled back whole: history and schema as before the migration.
        await WaitUntilAsync(test, "SELECT count(*) = 0 FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%UPDATE \"Todos\"%' AND pid <> pg_backend_pid()");
        Assert.Equal([Migrations.Names[0]], await SchemaSnapshot.HistoryAsync(db));
        Assert.False(await SchemaSnapshot.ColumnExistsAsync(test, "Todos", "DueDate"));

        var next = await WorkerProcess.RunAsync(db);

        Assert.True(next.ExitCode == ExitCodes.Success, next.Output);
        Assert.Equal(Migrations.Names, await SchemaSnapshot.HistoryAsync(db));
        Assert.Equal([0L], await Database.QueryAsync<long>(test, """SELECT count(*) FROM "Todos" WHERE NOT "IsDone" AND "DueDate" IS NULL"""));
        Assert.Equal([(long)Rows], await Database.QueryAsync<long>(test, """SELECT count(*) FROM "Todos" """)); // not empty: no seed
    }

    [Fact]
    public async Task Worker_whose_lock_session_is_ended_stops_before_its_next_migration_and_exits_1()
    {
        var db = await server.NewDatabaseAsync();
        Assert.Equal(ExitCodes.Success, (await WorkerProcess.RunAsync(db, "--target", Migrations.Names[0])).ExitCode);
        await using var test = await Database.OpenAsync(db, "test");
        await Database.ExecuteAsync(test, """INSERT INTO "Todos" ("Title", "IsDone") VALUES ('open', false)""");
        await using var pause = await BackfillPause.InstallAsync(db, "true", PauseLockKey);

        await using var worker = WorkerProcess.Start(db, []);
        await WaitUntilBackfillIsBlockedAsync(test);
        // What an operator ending the session a lock-wait message named would do: the lock is gone mid-run.
        var ended = await Database.QueryAsync<int>(test, $"""
            SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = '{WorkerConcurrencyTests.LockSession}'
            """);
        await Database.ExecuteAsync(test, $"SELECT pg_terminate_backend({Assert.Single(ended)})");
        await pause.ReleaseAsync();
        var result = await worker.WaitAsync();

        Assert.True(result.ExitCode == ExitCodes.MigrationFailed, result.Output);
        Assert.Contains($"the migration lock of AppDbContext was lost: its session (pid {ended[0]}) ended, so another worker may have started; " +
            "this run stopped before its next step", Assert.Single(WorkerProcess.LoggedErrors(result.Output)));
        // The migration under way when the lock went finished; the next one never started.
        Assert.Equal(Migrations.Names.Take(2), await SchemaSnapshot.HistoryAsync(db));
    }

    private static Task WaitUntilBackfillIsBlockedAsync(NpgsqlConnection connection) => WaitUntilAsync(connection,
        """
        SELECT count(*) = 1 FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event = 'advisory' AND query LIKE '%UPDATE "Todos"%'
        """);

    private static Task WaitUntilAsync(NpgsqlConnection connection, string condition) => Database.WaitUntilAsync(connection, condition);

}
