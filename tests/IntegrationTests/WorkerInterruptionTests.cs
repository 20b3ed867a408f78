using MigrationService;
using Npgsql;

namespace IntegrationTests;

/// <summary>A worker killed (SIGKILL) in the middle of a long migration: nothing half-applied, and the next run completes.</summary>
public sealed class WorkerInterruptionTests(PostgresServer server)
{
    private const int Rows = 200_000;
    private const long PauseLockKey = 4242;

    [Fact]
    public async Task Worker_killed_mid_backfill_leaves_the_database_consistent_and_the_next_run_completes()
    {
        var db = await server.NewDatabaseAsync();
        Assert.Equal(ExitCodes.Success, (await WorkerProcess.RunAsync(db, "--target", Migrations.Names[0])).ExitCode);
        await using var test = new NpgsqlConnection(db);
        await test.OpenAsync(TestContext.Current.CancellationToken);
        await Database.ExecuteAsync(test, $"""INSERT INTO "Todos" ("Title", "IsDone") SELECT 'bulk ' || n, n % 5 = 0 FROM generate_series(1, {Rows}) AS n""");

        // Make the second migration's backfill (UPDATE) stop half-way, so the kill lands inside its transaction.
        await using var pause = await BackfillPause.InstallAsync(db, $"NEW.\"Id\" >= {Rows / 2}", PauseLockKey);

        await using (var worker = WorkerProcess.Start(db, []))
        {
            await WaitUntilBackfillIsBlockedAsync(test);
            worker.Kill();
            await worker.WaitAsync();
        }

        // Let the orphaned statement go on: the server finds the client gone when the statement ends, and rolls back.
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

    private static Task WaitUntilBackfillIsBlockedAsync(NpgsqlConnection connection) => WaitUntilAsync(connection,
        """
        SELECT count(*) = 1 FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event = 'advisory' AND query LIKE '%UPDATE "Todos"%'
        """);

    private static Task WaitUntilAsync(NpgsqlConnection connection, string condition) => Database.WaitUntilAsync(connection, condition);

}
