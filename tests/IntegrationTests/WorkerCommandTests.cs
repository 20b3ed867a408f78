using MigrationService;
using Npgsql;

namespace IntegrationTests;

/// <summary>The worker run standalone (only <c>ConnectionStrings__appdb</c> set), each test on a database of its own.</summary>
public sealed class WorkerCommandTests(PostgresServer server)
{
    [Fact]
    public async Task Target_goes_down_to_the_first_migration_and_back_up_with_schema_and_history_matching_each_step()
    {
        var db = await server.NewDatabaseAsync();

        var latest = await WorkerProcess.RunAsync(db);
        Assert.Equal(ExitCodes.Success, latest.ExitCode);
        Assert.Equal(["InitialSchema", "AddDueDate", "AddUpdatedAt"], await SchemaSnapshot.HistoryAsync(db));
        var atLatest = await SchemaSnapshot.TakeAsync(db);
        Assert.Contains("column Todos.DueDate date YES", atLatest);
        Assert.Contains("IX_Todos_IsDone_DueDate", atLatest);

        var down = await WorkerProcess.RunAsync(db, "--target", "InitialSchema");
        Assert.Equal(ExitCodes.Success, down.ExitCode);
        Assert.Contains("Reverted migration 20", down.Output);
        Assert.Equal(["InitialSchema"], await SchemaSnapshot.HistoryAsync(db));
        var atFirst = await SchemaSnapshot.TakeAsync(db);
        Assert.DoesNotContain("DueDate", atFirst);
        Assert.Contains("todos 3 ", atFirst); // rolling back a column keeps the rows

        var up = await WorkerProcess.RunAsync(db);
        Assert.Equal(ExitCodes.Success, up.ExitCode);
        Assert.Equal(["InitialSchema", "AddDueDate", "AddUpdatedAt"], await SchemaSnapshot.HistoryAsync(db));
        // Same schema as before; the backfill gave the seeded (open) to-dos a due date this time, and the seed added nothing.
        Assert.Equal(atLatest.Replace("with due date 0", "with due date 3"), await SchemaSnapshot.TakeAsync(db));

        var none = await WorkerProcess.RunAsync(db, "--target", "0");
        Assert.Equal(ExitCodes.Success, none.ExitCode);
        Assert.Empty(await SchemaSnapshot.HistoryAsync(db));
        Assert.DoesNotContain("Todos", await SchemaSnapshot.TakeAsync(db));
    }

    [Fact]
    public async Task List_and_script_change_nothing_and_report_what_is_pending()
    {
        var db = await server.NewDatabaseAsync();
        Assert.Equal(ExitCodes.Success, (await WorkerProcess.RunAsync(db, "--target", "InitialSchema")).ExitCode);
        var before = await SchemaSnapshot.TakeAsync(db);

        var list = await WorkerProcess.RunAsync(db, "--list");
        var script = await WorkerProcess.RunAsync(db, "--script");

        Assert.Equal(before, await SchemaSnapshot.TakeAsync(db));
        Assert.Equal(ExitCodes.Success, list.ExitCode);
        Assert.Matches(@"AppDbContext: 1 applied, 2 pending", list.Stdout);
        Assert.Matches(@"\[applied\] \d+_InitialSchema", list.Stdout);
        Assert.Matches(@"\[pending\] \d+_AddDueDate", list.Stdout);
        Assert.Equal(ExitCodes.Success, script.ExitCode);
        Assert.Contains("""ALTER TABLE "Todos" ADD "DueDate" date""", script.Stdout);
        Assert.Contains("IF NOT EXISTS", script.Stdout); // idempotent
        Assert.DoesNotContain("""CREATE TABLE "Todos" """, script.Stdout); // only what is pending
    }

    [Fact]
    public async Task List_on_a_database_that_does_not_exist_reports_everything_pending_and_creates_nothing()
    {
        var db = await server.NewDatabaseAsync();

        var list = await WorkerProcess.RunAsync(db, "--list");

        Assert.Equal(ExitCodes.Success, list.ExitCode);
        Assert.Contains("AppDbContext: 0 applied, 3 pending", list.Stdout);
        var missing = Assert.Throws<PostgresException>(() =>
        {
            using var connection = new NpgsqlConnection(db);
            connection.Open();
        });
        Assert.Equal(PostgresErrorCodes.InvalidCatalogName, missing.SqlState);
    }

    [Fact]
    public async Task Unknown_target_exits_2_names_the_valid_migrations_and_touches_nothing()
    {
        var db = await server.NewDatabaseAsync();
        Assert.Equal(ExitCodes.Success, (await WorkerProcess.RunAsync(db, "--target", "InitialSchema")).ExitCode);
        var before = await SchemaSnapshot.TakeAsync(db);

        var result = await WorkerProcess.RunAsync(db, "--target", "NoSuchMigration");

        Assert.Equal(ExitCodes.InvalidArguments, result.ExitCode);
        Assert.Contains("Unknown target migration 'NoSuchMigration'", result.Output);
        Assert.Matches(@"\d+_InitialSchema", result.Output);
        Assert.Matches(@"\d+_AddDueDate", result.Output);
        Assert.Equal(before, await SchemaSnapshot.TakeAsync(db));
    }

    [Fact]
    public async Task Second_run_applies_nothing_seeds_nothing_and_exits_0()
    {
        var db = await server.NewDatabaseAsync();
        var first = await WorkerProcess.RunAsync(db);
        var afterFirst = await SchemaSnapshot.TakeAsync(db);

        var second = await WorkerProcess.RunAsync(db);

        Assert.Equal(ExitCodes.Success, first.ExitCode);
        Assert.Contains("3 migration(s) applied", first.Output);
        Assert.Equal(ExitCodes.Success, second.ExitCode);
        Assert.Contains("0 migration(s) applied", second.Output);
        Assert.Equal(afterFirst, await SchemaSnapshot.TakeAsync(db));
    }

    [Fact]
    public async Task Unreachable_database_exits_3_with_one_clear_line_and_no_secret()
    {
        var port = LoopbackPort.Free();
        const string password = "not-a-real-password-7f3a";

        var result = await WorkerProcess.Start(
            $"Host=127.0.0.1;Port={port};Database=appdb;Username=postgres;Password={password}",
            [], new Dictionary<string, string> { ["Migrations__ConnectTimeout"] = "00:00:03" }).WaitAsync();

        Assert.Equal(ExitCodes.DatabaseUnreachable, result.ExitCode);
        Assert.Contains($"Could not connect to database 'appdb' on 127.0.0.1:{port}: no answer within 3 s", result.Output);
        Assert.DoesNotContain(password, result.Output);
    }

    [Fact]
    public async Task Refused_credentials_exit_3_without_echoing_the_password()
    {
        var builder = new NpgsqlConnectionStringBuilder(await server.NewDatabaseAsync()) { Password = "wrong-password-91c2" };

        var result = await WorkerProcess.RunAsync(builder.ConnectionString);

        Assert.Equal(ExitCodes.DatabaseUnreachable, result.ExitCode);
        Assert.Contains("the server refused the credentials", result.Output);
        Assert.DoesNotContain("wrong-password-91c2", result.Output);
    }

    [Theory]
    [InlineData(null, "No connection string: set ConnectionStrings__appdb")]
    [InlineData("Host=localhost;Bogus Keyword=secret-value-55", "The connection string 'appdb' is not valid")]
    public async Task Missing_or_malformed_connection_string_exits_2_without_echoing_it(string? connectionString, string message)
    {
        var result = await WorkerProcess.RunAsync(connectionString);

        Assert.Equal(ExitCodes.InvalidArguments, result.ExitCode);
        Assert.Contains(message, result.Output);
        Assert.DoesNotContain("secret-value-55", result.Output);
    }
}
