using System.Text.RegularExpressions;
using SafeMigrations.Worker;
using Npgsql;
using static IntegrationTests.LockTimeoutTests;

namespace IntegrationTests;

/// <summary>
/// The role setup before the migrations is DDL too: handing a table the admin login still owns to the owner role
/// (<c>ALTER TABLE … OWNER TO</c>) needs ACCESS EXCLUSIVE on it. With a reader's transaction open on that table it waits
/// no longer than the lock timeout, retries within the budget, and never queues the app's reads behind it.
/// </summary>
public sealed class RoleSetupLockTimeoutTests(PostgresServer server)
{
    [Fact]
    public async Task Ownership_transfer_blocked_past_the_budget_exits_1_naming_the_reader_and_readers_never_wait_long()
    {
        var db = await AdminOwnedTodosAsync();
        await using var blocker = await OpenBlockerAsync(db);
        await using var test = await Database.OpenAsync(db, "test");
        var history = await SchemaSnapshot.HistoryAsync(db);
        await using var readers = await StartReadersAsync(db);

        var result = await RunWorkerWhileBlockerOutlastsTheBudgetAsync(db, test, blocker, readers);

        Assert.True(result.ExitCode == ExitCodes.MigrationFailed, result.Output);
        Assert.Equal(
            [$"A lock wait timed out: AppDbContext role setup (ownership and grants) waited longer than Migrations:LockTimeout (1 s) in each of 3 attempt(s), " +
             $"last for a lock held by pid {blocker.ProcessID} (application '{Blocker}', idle in transaction, transaction open {{age}} s). " +
             "Nothing was migrated: end that session or run again later (Migrations:LockRetries and Migrations:LockRetryDelay set the budget)."],
            WorkerProcess.LoggedErrors(result.Output).Select(line => Regex.Replace(line, @"transaction open \d+ s", "transaction open {age} s")));
        Assert.Equal(history, await SchemaSnapshot.HistoryAsync(db));
        Assert.Equal(await AdminAsync(test), await TodosOwnerAsync(test));
        AssertReadersNeverWaitedLong(readers);
    }

    [Fact]
    public async Task Ownership_transfer_retried_after_the_reader_commits_hands_the_table_to_the_owner_role_and_migrates()
    {
        var db = await AdminOwnedTodosAsync();
        await using var blocker = await OpenBlockerAsync(db);
        await using var test = await Database.OpenAsync(db, "test");
        await using var readers = await StartReadersAsync(db);

        // Retries at about 2, 5, 10, 19 and 36 s: a blocker gone a few seconds after the first wait is outlasted.
        await using var worker = StartWorker(db, retries: 5, retryDelay: TimeSpan.FromSeconds(1));
        await Database.WaitUntilAsync(test, WorkerWaitsForALock);
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
        await Database.ExecuteAsync(blocker, "COMMIT");
        var result = await worker.WaitAsync();
        await readers.StopAsync();

        Assert.True(result.ExitCode == ExitCodes.Success, result.Output);
        Assert.Matches(
            $@"AppDbContext: role setup \(ownership and grants\) waited longer than 1 s for a lock held by pid {blocker.ProcessID} " +
            $@"\(application '{Blocker}', idle in transaction, transaction open \d+ s\); rolled back, retry 1 of 5 in 1 s",
            result.Output);
        Assert.Equal(Migrations.Names, await SchemaSnapshot.HistoryAsync(db));
        Assert.Equal($"{new NpgsqlConnectionStringBuilder(db).Database}_owner", await TodosOwnerAsync(test));
        AssertReadersNeverWaitedLong(readers);
    }

    /// <summary>A database as an earlier version of the worker left it: migrated, with <c>Todos</c> owned by the admin login.</summary>
    private async Task<string> AdminOwnedTodosAsync()
    {
        var db = await PrefilledDatabase.CreateAsync(server, rows: 1_000);
        await using var connection = await Database.OpenAsync(db, "test-setup");
        await Database.ExecuteAsync(connection, """ALTER TABLE "Todos" OWNER TO CURRENT_USER""");
        Assert.Equal(await AdminAsync(connection), await TodosOwnerAsync(connection));
        return db;
    }

    private static async Task<string> AdminAsync(NpgsqlConnection connection) =>
        (await Database.QueryAsync<string>(connection, "SELECT current_user::text")).Single();

    private static async Task<string> TodosOwnerAsync(NpgsqlConnection connection) =>
        (await Database.QueryAsync<string>(connection, """SELECT tableowner::text FROM pg_tables WHERE tablename = 'Todos'""")).Single();
}
