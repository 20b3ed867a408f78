using SafeMigrations.Worker;
using Npgsql;

namespace IntegrationTests;

/// <summary>
/// The limits the worker sets on its database session, which the server enforces: a statement that runs too long is
/// cancelled by the server — also once the worker is gone, which the server notices within a second — and each
/// configured value reaches the session.
/// </summary>
public sealed class StatementTimeoutTests(PostgresServer server)
{
    [Fact]
    public async Task Statement_longer_than_the_statement_timeout_is_cancelled_by_the_server_and_the_worker_exits_1()
    {
        var db = await PrefilledDatabase.CreateAsync(server, rows: 100);
        await using var test = await Database.OpenAsync(db, "test");
        await MakeBackfillSlowAsync(test);

        await using var worker = StartWorker(db, statementTimeout: "00:00:02");
        // The statement is visible while it runs (client-side the command timeout is 10 minutes: it is not what ends it).
        await Database.WaitUntilAsync(test, $"SELECT count(*) = 1 {SlowStatement}");
        var result = await worker.WaitAsync();

        Assert.True(result.ExitCode == ExitCodes.MigrationFailed, result.Output);
        Assert.Contains("Migration failed: 57014: canceling statement due to statement timeout.", result.Output);
        Assert.Equal([0L], await Database.QueryAsync<long>(test, $"SELECT count(*) {SlowStatement}"));
        Assert.Equal(["InitialSchema", "AddDueDate"], await SchemaSnapshot.HistoryAsync(db));
    }

    [Fact]
    public async Task Statement_of_a_killed_worker_is_ended_by_the_server_within_the_statement_timeout()
    {
        var db = await PrefilledDatabase.CreateAsync(server, rows: 100);
        await using var test = await Database.OpenAsync(db, "test");
        await MakeBackfillSlowAsync(test);

        await using (var worker = StartWorker(db, statementTimeout: "00:00:03"))
        {
            await Database.WaitUntilAsync(test, $"SELECT count(*) = 1 {SlowStatement}");
            worker.Kill();
            await worker.WaitAsync();
        }

        // Nobody is left to cancel it: without the server's limits it would sleep on for ten minutes.
        await Database.WaitUntilAsync(test, $"SELECT count(*) = 0 {SlowStatement}");
        Assert.Equal(["InitialSchema", "AddDueDate"], await SchemaSnapshot.HistoryAsync(db));
    }

    [Fact]
    public async Task Statement_of_a_killed_worker_is_cancelled_once_the_server_sees_the_worker_gone()
    {
        var db = await PrefilledDatabase.CreateAsync(server, rows: 100);
        await using var test = await Database.OpenAsync(db, "test");
        await MakeBackfillSlowAsync(test);

        // The default statement timeout, 5 minutes, is longer than the test's deadline: only the server's check that
        // the client is still there (client_connection_check_interval) can end the statement in time.
        await using (var worker = WorkerProcess.Start(db, []))
        {
            await Database.WaitUntilAsync(test, $"SELECT count(*) = 1 {SlowStatement}");
            worker.Kill();
            await worker.WaitAsync();
        }

        await Database.WaitUntilAsync(test, $"SELECT count(*) = 0 {SlowStatement}");
        Assert.Equal(["InitialSchema", "AddDueDate"], await SchemaSnapshot.HistoryAsync(db));
        Assert.Equal([0L], await Database.QueryAsync<long>(test, """SELECT count("UpdatedAt") FROM "Todos" """)); // its batch rolled back
    }

    [Fact]
    public async Task Configured_limits_and_the_application_name_are_in_force_in_the_worker_session()
    {
        var db = await PrefilledDatabase.CreateAsync(server, rows: 10);
        await using var test = await Database.OpenAsync(db, "test");
        // What the backfill's own session sees, recorded by a trigger on the first row it updates.
        await Database.ExecuteAsync(test, """
            CREATE TABLE seen_settings (name text, setting text);
            CREATE FUNCTION record_settings() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW."Id" = 1 THEN
                    INSERT INTO seen_settings SELECT name, setting FROM pg_settings
                    WHERE name IN ('lock_timeout', 'statement_timeout', 'idle_in_transaction_session_timeout', 'application_name',
                                   'client_connection_check_interval');
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER record_settings BEFORE UPDATE ON "Todos" FOR EACH ROW EXECUTE FUNCTION record_settings();
            """);

        var result = await WorkerProcess.Start(db, [], new Dictionary<string, string>
        {
            ["Migrations__LockTimeout"] = "00:00:07",
            ["Migrations__StatementTimeout"] = "00:03:00",
            ["Migrations__IdleInTransactionSessionTimeout"] = "00:00:20",
        }).WaitAsync();

        Assert.True(result.ExitCode == ExitCodes.Success, result.Output);
        Assert.Equal(
            ["application_name=migrations", "client_connection_check_interval=1000", "idle_in_transaction_session_timeout=20000",
             "lock_timeout=7000", "statement_timeout=180000"],
            await Database.QueryAsync<string>(test, "SELECT name || '=' || setting FROM seen_settings ORDER BY name"));
    }

    // A to-do whose backfill sleeps for 10 minutes: far beyond the test deadline, so only the server can end it in time.
    private const int SlowRow = 50;

    /// <summary>The worker's backfill, busy in the slow row (FROM and WHERE of a query on pg_stat_activity).</summary>
    private const string SlowStatement =
        $"""
        FROM pg_stat_activity WHERE datname = current_database() AND application_name = '{SessionLimits.ApplicationName}'
        AND state = 'active' AND wait_event = 'PgSleep' AND query LIKE 'DO $backfill$%'
        """;

    private static Task MakeBackfillSlowAsync(NpgsqlConnection connection) => Database.ExecuteAsync(connection, $"""
        CREATE FUNCTION slow_backfill() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW."Id" = {SlowRow} THEN
                PERFORM pg_sleep(600);
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER slow_backfill BEFORE UPDATE ON "Todos" FOR EACH ROW EXECUTE FUNCTION slow_backfill();
        """);

    private static ChildProcess StartWorker(string db, string statementTimeout) =>
        WorkerProcess.Start(db, [], new Dictionary<string, string> { ["Migrations__StatementTimeout"] = statementTimeout });
}
