using SafeMigrations.Worker;
using Npgsql;

namespace IntegrationTests;

/// <summary>
/// A worker with nothing to do — what every new web app replica runs — ends without the migration lock, so a long
/// migration or rollback elsewhere does not hold up scale-out; one with something to do takes the lock and waits for it.
/// </summary>
public sealed class WorkerFastPathTests(PostgresServer server)
{
    private const string FastPath =
        "AppDbContext: nothing to do, so the migration lock was not taken: every migration of this build is applied, " +
        "with the checksum recorded then, and the roles are set up";

    private static Dictionary<string, string> Settings(string webLogin, string lockWait = "00:10:00") => new()
    {
        ["ConnectionStrings__appdb-web"] = webLogin,
        ["Migrations__AdvisoryLockTimeout"] = lockWait,
    };

    [Fact]
    public async Task Nothing_to_apply_exits_0_while_another_session_holds_the_migration_lock_and_never_asks_for_it()
    {
        var db = await server.NewDatabaseAsync();
        var webLogin = WebRole.Login(db, $"{new NpgsqlConnectionStringBuilder(db).Database}_web", "Web-Password-3f1a");
        Assert.Equal(ExitCodes.Success, (await WorkerProcess.Start(db, [], Settings(webLogin)).WaitAsync()).ExitCode);
        await using var otherWorker = await HoldTheMigrationLockAsync(db);

        var result = await WorkerProcess.Start(db, [], Settings(webLogin)).WaitAsync();

        Assert.True(result.ExitCode == ExitCodes.Success, result.Output);
        Assert.Contains(FastPath, result.Output);
        Assert.Contains($"AppDbContext: 0 migration(s) applied, 0 reverted; {Migrations.Ids.Count} applied in all", result.Output);
        Assert.DoesNotContain("taking the migration lock", result.Output);
        Assert.DoesNotContain("Another worker is migrating", result.Output);
        Assert.DoesNotContain("Roles of database", result.Output); // no role setup either
        Assert.Equal([otherWorker.ProcessID], await LockHoldersAsync(otherWorker)); // held throughout, by the other session only
    }

    [Fact]
    public async Task A_migration_in_progress_sends_the_worker_the_slow_way_where_it_waits_for_the_lock()
    {
        var db = await server.NewDatabaseAsync();
        Assert.Equal(ExitCodes.Success, (await WorkerProcess.RunAsync(db)).ExitCode);
        // What a worker applying a migration holds: the migration lock, and EF Core's lock on the history.
        await using var otherWorker = await HoldTheMigrationLockAsync(db);
        await Database.ExecuteAsync(otherWorker, """LOCK TABLE "__EFMigrationsHistory" IN ACCESS EXCLUSIVE MODE""");

        var result = await WorkerProcess.Start(db, [], new Dictionary<string, string> { ["Migrations__AdvisoryLockTimeout"] = "00:00:03" }).WaitAsync();

        Assert.True(result.ExitCode == ExitCodes.MigrationFailed, result.Output);
        Assert.Contains("AppDbContext: the migrations history is locked: a migration is in progress; taking the migration lock", result.Output);
        Assert.Matches(
            @"A lock wait timed out: another worker held the migration lock of AppDbContext for longer than Migrations:AdvisoryLockTimeout \(3 s\), " +
            $@"waiting for a lock held by pid {otherWorker.ProcessID} \(application 'other-worker', idle in transaction, transaction open \d+ s\)\. " +
            @"Nothing was changed: run again once that worker has finished\.",
            Assert.Single(WorkerProcess.LoggedErrors(result.Output)));
    }

    [Theory]
    [InlineData("a pending migration")]
    [InlineData("a changed web password")]
    [InlineData("a missing checksum")]
    public async Task Something_to_do_takes_the_lock_and_says_why(string what)
    {
        var db = await server.NewDatabaseAsync();
        var database = new NpgsqlConnectionStringBuilder(db).Database;
        var webLogin = WebRole.Login(db, $"{database}_web", "Web-Password-8c02");
        Assert.Equal(ExitCodes.Success, (await WorkerProcess.Start(db, what == "a pending migration" ? ["--target", "AddDueDate"] : [], Settings(webLogin)).WaitAsync()).ExitCode);
        if (what == "a missing checksum")
        {
            await using var connection = await Database.OpenAsync(db, "test");
            await Database.ExecuteAsync(connection, $"""DELETE FROM "{MigrationChecksumStore.TableName}" WHERE "MigrationId" = '{Migrations.Ids[0]}'""");
        }

        var result = await WorkerProcess.Start(db, [], Settings(what == "a changed web password" ? WebRole.Login(db, $"{database}_web", "Web-Password-9d13") : webLogin)).WaitAsync();

        Assert.True(result.ExitCode == ExitCodes.Success, result.Output);
        var reason = what switch
        {
            "a pending migration" => $"{Migrations.Ids.Count - 2} migration(s) pending",
            "a changed web password" => $"the web login {database}_web did not log in (28P01: password authentication failed for user \"{database}_web\")",
            _ => $"the checksum of {Migrations.Ids[0]} is not recorded",
        };
        Assert.Contains($"AppDbContext: {reason}; taking the migration lock", result.Output);
        Assert.Contains("Roles of database", result.Output);
        Assert.DoesNotContain(FastPath, result.Output);
        Assert.Contains(FastPath, (await WorkerProcess.Start(db, [], Settings(what == "a changed web password" ? WebRole.Login(db, $"{database}_web", "Web-Password-9d13") : webLogin)).WaitAsync()).Output);
    }

    /// <summary>A session of the test that holds the migration lock as a running worker holds it.</summary>
    private static async Task<NpgsqlConnection> HoldTheMigrationLockAsync(string db)
    {
        var holder = await Database.OpenAsync(db, "other-worker");
        await Database.ExecuteAsync(holder, $"""BEGIN; LOCK TABLE "{MigrationLock.TableName}" IN {MigrationLock.Mode} MODE""");
        return holder;
    }

    private static Task<List<int>> LockHoldersAsync(NpgsqlConnection connection) => Database.QueryAsync<int>(connection,
        $"""SELECT pid FROM pg_locks WHERE relation = '"{MigrationLock.TableName}"'::regclass AND granted""");
}
