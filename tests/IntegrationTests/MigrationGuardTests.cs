using SafeMigrations.Worker;

namespace IntegrationTests;

/// <summary>
/// The worker's guards on a real database, run standalone: a rollback that destroys data needs consent, an applied
/// migration edited since is refused (and repaired on request), a migration out of order is refused unless allowed.
/// </summary>
public sealed class MigrationGuardTests(PostgresServer server)
{
    private static readonly string AddDueDate = Migrations.Ids.Single(id => id.EndsWith("_AddDueDate", StringComparison.Ordinal));
    private static readonly string AddUpdatedAt = Migrations.Ids.Single(id => id.EndsWith("_AddUpdatedAt", StringComparison.Ordinal));

    [Fact]
    public async Task A_rollback_through_dropped_data_is_refused_with_what_it_would_lose_and_changes_nothing()
    {
        var db = await server.NewDatabaseAsync();
        Assert.Equal(ExitCodes.Success, (await WorkerProcess.RunAsync(db)).ExitCode); // seeds 3 to-dos
        await ExecuteAsync(db, """UPDATE "Todos" SET "DueDate" = '2026-12-24' WHERE "Id" IN (SELECT "Id" FROM "Todos" ORDER BY "Id" LIMIT 2)""");
        var before = await SchemaSnapshot.TakeAsync(db);

        var refused = await WorkerProcess.RunAsync(db, "--target", "InitialSchema");

        Assert.Equal(ExitCodes.InvalidArguments, refused.ExitCode);
        Assert.Equal(
            ["Refusing to migrate down: AddUpdatedAt drops Todos.UpdatedAt: 3 non-null values; AddDueDate drops Todos.DueDate: " +
             "2 non-null values. Nothing was changed. Keep a copy of that data, then run again with --allow-data-loss " +
             "(Migrations:AllowDataLoss=true)."],
            WorkerProcess.LoggedErrors(refused.Output));
        Assert.Equal(before, await SchemaSnapshot.TakeAsync(db));
    }

    [Theory]
    [InlineData("--allow-data-loss")]
    [InlineData("Migrations__AllowDataLoss")]
    public async Task With_consent_the_rollback_proceeds_and_logs_what_it_dropped(string how)
    {
        var db = await server.NewDatabaseAsync();
        Assert.Equal(ExitCodes.Success, (await WorkerProcess.RunAsync(db)).ExitCode);
        await ExecuteAsync(db, """UPDATE "Todos" SET "DueDate" = '2026-12-24'""");

        var result = how.StartsWith("--", StringComparison.Ordinal)
            ? await WorkerProcess.RunAsync(db, "--target", "InitialSchema", how)
            : await WorkerProcess.Start(db, ["--target", "InitialSchema"], new Dictionary<string, string> { [how] = "true" }).WaitAsync();

        Assert.True(result.ExitCode == ExitCodes.Success, result.Output);
        Assert.Equal(["InitialSchema"], await SchemaSnapshot.HistoryAsync(db));
        Assert.Contains("AppDbContext: dropped with --allow-data-loss: AddUpdatedAt drops Todos.UpdatedAt: 3 non-null values\n", result.Output);
        Assert.Contains("AppDbContext: dropped with --allow-data-loss: AddDueDate drops Todos.DueDate: 3 non-null values\n", result.Output);
        Assert.Equal([Migrations.Ids[0]], await ChecksumIdsAsync(db)); // the reverted ones' checksums are forgotten
    }

    [Fact]
    public async Task A_rollback_that_loses_nothing_needs_no_consent()
    {
        var db = await server.NewDatabaseAsync();
        // A target skips the seed: the table stays empty, so dropping its columns (and itself) loses nothing.
        Assert.Equal(ExitCodes.Success, (await WorkerProcess.RunAsync(db, "--target", "AddUpdatedAt")).ExitCode);

        var result = await WorkerProcess.RunAsync(db, "--target", "0");

        Assert.True(result.ExitCode == ExitCodes.Success, result.Output);
        Assert.Empty(await SchemaSnapshot.HistoryAsync(db));
        Assert.DoesNotContain("dropped with --allow-data-loss", result.Output);
    }

    [Fact]
    public async Task Each_applied_migration_has_its_checksum_recorded_and_a_database_without_them_is_adopted()
    {
        var db = await server.NewDatabaseAsync();
        Assert.Equal(ExitCodes.Success, (await WorkerProcess.RunAsync(db)).ExitCode);
        Assert.Equal(ExpectedChecksums(), await ChecksumsAsync(db));

        // A database migrated before checksums existed: the next run records them and carries on.
        await ExecuteAsync(db, $"""DROP TABLE "{MigrationChecksumStore.TableName}" """);
        var adopted = await WorkerProcess.RunAsync(db);

        Assert.True(adopted.ExitCode == ExitCodes.Success, adopted.Output);
        Assert.Contains($"AppDbContext: recorded the checksums of {Migrations.Ids.Count} applied migration(s) that had none", adopted.Output);
        Assert.Equal(ExpectedChecksums(), await ChecksumsAsync(db));
    }

    [Fact]
    public async Task The_script_records_each_migrations_checksum_with_its_history_row()
    {
        var db = await server.NewDatabaseAsync();
        Assert.Equal(ExitCodes.Success, (await WorkerProcess.RunAsync(db, "--target", "InitialSchema")).ExitCode);
        // What a DBA applies from --script (the transactional migrations: an online one cannot run from a script).
        await ExecuteAsync(db, Migrations.WorkerScript(from: Migrations.Ids[0], to: AddDueDate));

        Assert.Equal(Migrations.Names.Take(2), await SchemaSnapshot.HistoryAsync(db));
        Assert.Equal(ExpectedChecksums().Take(2), await ChecksumsAsync(db));

        var next = await WorkerProcess.RunAsync(db);

        Assert.True(next.ExitCode == ExitCodes.Success, next.Output);
        Assert.DoesNotContain("that had none", next.Output);
        Assert.Equal(ExpectedChecksums(), await ChecksumsAsync(db));
    }

    [Fact]
    public async Task An_applied_migration_changed_since_is_refused_with_exit_4_and_repair_accepts_it()
    {
        var db = await server.NewDatabaseAsync();
        Assert.Equal(ExitCodes.Success, (await WorkerProcess.RunAsync(db, "--target", "AddDueDate")).ExitCode);
        // What an edit of AddDueDate after it was applied looks like to the worker: its checksum no longer matches.
        await ExecuteAsync(db, $"""UPDATE "{MigrationChecksumStore.TableName}" SET "Checksum" = repeat('0', 64) WHERE "MigrationId" = '{AddDueDate}'""");
        var before = await SchemaSnapshot.TakeAsync(db);

        var refused = await WorkerProcess.RunAsync(db);

        Assert.Equal(ExitCodes.HistoryCheckFailed, refused.ExitCode);
        Assert.Equal(
            [$"AppDbContext: {AddDueDate} changed after it was applied (the checksum recorded then differs). Restore it and put " +
             "the change in a new migration; or, if the change is harmless (an EF Core or Npgsql upgrade can also cause this), " +
             "run once with --repair to accept it. Nothing was migrated."],
            WorkerProcess.LoggedErrors(refused.Output));
        Assert.Equal(before, await SchemaSnapshot.TakeAsync(db));

        var repaired = await WorkerProcess.RunAsync(db, "--repair");

        Assert.True(repaired.ExitCode == ExitCodes.Success, repaired.Output);
        Assert.Contains($"AppDbContext: --repair accepted the current checksum of {AddDueDate}, which changed after it was applied", repaired.Output);
        Assert.Equal(before, await SchemaSnapshot.TakeAsync(db)); // repair migrates nothing
        Assert.Equal(ExpectedChecksums().Take(2), await ChecksumsAsync(db));

        var next = await WorkerProcess.RunAsync(db);
        Assert.True(next.ExitCode == ExitCodes.Success, next.Output);
        Assert.Equal(Migrations.Names, await SchemaSnapshot.HistoryAsync(db));
    }

    [Fact]
    public async Task A_pending_migration_below_the_latest_applied_is_refused_with_exit_4_unless_allowed()
    {
        var db = await server.NewDatabaseAsync();
        Assert.Equal(ExitCodes.Success, (await WorkerProcess.RunAsync(db, "--target", "AddUpdatedAt")).ExitCode);
        // As after merging a long-lived branch: AddDueDate is new to this database, AddUpdatedAt is already applied.
        await ExecuteAsync(db,
            $"""
            DROP INDEX "IX_Todos_IsDone_DueDate";
            ALTER TABLE "Todos" DROP COLUMN "DueDate";
            DELETE FROM "__EFMigrationsHistory" WHERE "MigrationId" = '{AddDueDate}';
            DELETE FROM "{MigrationChecksumStore.TableName}" WHERE "MigrationId" = '{AddDueDate}';
            """);
        var before = await SchemaSnapshot.TakeAsync(db);

        var refused = await WorkerProcess.RunAsync(db);

        Assert.Equal(ExitCodes.HistoryCheckFailed, refused.ExitCode);
        Assert.Equal(
            [$"AppDbContext: pending {AddDueDate} sorts before {AddUpdatedAt}, the latest applied (a merge from a long-lived " +
             "branch?). Check that it does not conflict with what was applied after it, then run with " +
             "Migrations:AllowOutOfOrder=true; or re-create it so that it sorts last. Nothing was migrated."],
            WorkerProcess.LoggedErrors(refused.Output));
        Assert.Equal(before, await SchemaSnapshot.TakeAsync(db));

        var allowed = await WorkerProcess.Start(db, [], new Dictionary<string, string> { ["Migrations__AllowOutOfOrder"] = "true" }).WaitAsync();

        Assert.True(allowed.ExitCode == ExitCodes.Success, allowed.Output);
        Assert.Equal(Migrations.Names, await SchemaSnapshot.HistoryAsync(db));
        Assert.Contains("column Todos.DueDate date YES", await SchemaSnapshot.TakeAsync(db));
        Assert.Equal(ExpectedChecksums(), await ChecksumsAsync(db));
    }

    [Fact]
    public async Task A_migration_applied_by_a_newer_release_is_reported_and_stops_nothing()
    {
        var db = await server.NewDatabaseAsync();
        Assert.Equal(ExitCodes.Success, (await WorkerProcess.RunAsync(db)).ExitCode);
        const string newer = "29991231000000_FromANewerRelease";
        await ExecuteAsync(db, $"""INSERT INTO "__EFMigrationsHistory" VALUES ('{newer}', '10.0.0')""");

        var run = await WorkerProcess.RunAsync(db);
        var list = await WorkerProcess.RunAsync(db, "--list");

        Assert.True(run.ExitCode == ExitCodes.Success, run.Output);
        // Said once per run.
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(run.Output,
            $@"AppDbContext: the database is ahead of this build: 1 applied migration\(s\) this build does not know \({newer}\); they stay applied"));
        Assert.Equal(ExitCodes.Success, list.ExitCode);
        Assert.Contains($"  [applied] {newer} (not in this build)\n", list.Stdout);
    }

    // Pinned, not computed by the code under test: a change to what a checksum covers or how it is computed would make
    // every database migrated before it fail its history check, so it must show here. A new migration adds its line.
    private static readonly Dictionary<string, string> PinnedChecksums = new()
    {
        ["InitialSchema"] = "928d5e9b78d981882d9e4018d154f2f62421544ec96a33675b479981dc93bef3",
        ["AddDueDate"] = "8c96eb8740de59ebffa20da30b9983e77bbb77504f0b9897ba450f484dc599d1",
        ["AddUpdatedAt"] = "abd242d5d1344635ae0915b882fadbf546409a31f80aac64be139831aeea60f2",
        ["CoverListOrder"] = "88aace1a9726c8c055f9cfcef34f50d274f7218ce11f46b08901f1b2f038890a",
    };

    private static List<(string Id, string Checksum)> ExpectedChecksums() =>
        [.. Migrations.Ids.Select(id => (id, PinnedChecksums.GetValueOrDefault(Migrations.NameOf(id), $"(no checksum pinned for {id})")))];

    private static async Task<List<(string, string)>> ChecksumsAsync(string db) =>
        [.. (await QueryAsync(db, $"""SELECT "MigrationId" || ' ' || "Checksum" FROM "{MigrationChecksumStore.TableName}" ORDER BY 1"""))
            .Select(row => (row.Split(' ')[0], row.Split(' ')[1]))];

    private static Task<List<string>> ChecksumIdsAsync(string db) =>
        QueryAsync(db, $"""SELECT "MigrationId" FROM "{MigrationChecksumStore.TableName}" ORDER BY 1""");

    private static async Task<List<string>> QueryAsync(string db, string sql)
    {
        await using var connection = await Database.OpenAsync(db, "guard-test");
        return await Database.QueryAsync<string>(connection, sql);
    }

    private static async Task ExecuteAsync(string db, string sql)
    {
        await using var connection = await Database.OpenAsync(db, "guard-test");
        await Database.ExecuteAsync(connection, sql);
    }
}
