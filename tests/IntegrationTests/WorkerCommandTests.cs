using MigrationService;
using SafeMigrations.Worker;
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
        Assert.Equal(Migrations.Names, await SchemaSnapshot.HistoryAsync(db));
        var atLatest = await SchemaSnapshot.TakeAsync(db);
        Assert.Contains("column Todos.DueDate date YES", atLatest);
        Assert.Contains("""index CREATE INDEX "IX_Todos_IsDone_DueDate_Id" ON public."Todos" USING btree ("IsDone", "DueDate", "Id")""", atLatest);
        Assert.DoesNotContain("\"IX_Todos_IsDone_DueDate\"", atLatest); // replaced by the one above

        // The seeded rows' UpdatedAt values go with the column: that takes consent.
        var down = await WorkerProcess.RunAsync(db, "--target", Migrations.Names[0], "--allow-data-loss");
        Assert.Equal(ExitCodes.Success, down.ExitCode);
        Assert.Contains($"AppDbContext: Reverted migration {Migrations.Ids[1]}", down.Output);
        Assert.Equal([Migrations.Names[0]], await SchemaSnapshot.HistoryAsync(db));
        var atFirst = await SchemaSnapshot.TakeAsync(db);
        Assert.DoesNotContain("DueDate", atFirst);
        Assert.Contains("todos 3 ", atFirst); // rolling back a column keeps the rows

        var up = await WorkerProcess.RunAsync(db);
        Assert.Equal(ExitCodes.Success, up.ExitCode);
        Assert.Equal(Migrations.Names, await SchemaSnapshot.HistoryAsync(db));
        // Same schema as before; the backfill gave the seeded (open) to-dos a due date this time, and the seed added nothing.
        Assert.Equal(atLatest.Replace("with due date 0", "with due date 3"), await SchemaSnapshot.TakeAsync(db));

        var none = await WorkerProcess.RunAsync(db, "--target", "0", "--allow-data-loss");
        Assert.Equal(ExitCodes.Success, none.ExitCode);
        Assert.Empty(await SchemaSnapshot.HistoryAsync(db));
        Assert.DoesNotContain("Todos", await SchemaSnapshot.TakeAsync(db));
    }

    // Debug logging, so that there are logs to keep out of stdout.
    private static readonly Dictionary<string, string> Verbose = new() { ["Logging__LogLevel__Default"] = "Debug" };

    [Theory]
    [InlineData("command line")]
    [InlineData("configuration")] // Migrations__List / Migrations__Script, as the AppHost or a container passes them
    public async Task List_and_script_change_nothing_and_print_only_their_result_on_stdout(string how)
    {
        var db = await server.NewDatabaseAsync();
        Assert.Equal(ExitCodes.Success, (await WorkerProcess.RunAsync(db, "--target", Migrations.Names[0])).ExitCode);
        var before = await SchemaSnapshot.TakeAsync(db);

        var list = await RunAsync(db, how, "List");
        var script = await RunAsync(db, how, "Script");

        Assert.Equal(before, await SchemaSnapshot.TakeAsync(db));
        Assert.Equal(ExitCodes.Success, list.ExitCode);
        Assert.Equal($"AppDbContext: 1 applied, {Migrations.Ids.Count - 1} pending\n  [applied] {Migrations.Ids[0]}\n" +
            string.Concat(Migrations.Ids.Skip(1).Select(id => $"  [pending] {id}\n")), list.Stdout);
        Assert.Equal(ExitCodes.Success, script.ExitCode);
        // Clean SQL, to be piped to a file: the idempotent script of what is pending, and nothing else.
        Assert.Equal($"-- AppDbContext: pending migrations (idempotent)\n{Migrations.WorkerScript(from: Migrations.Ids[0])}\n", script.Stdout);
        Assert.Contains("dbug: ", script.Stderr); // the logs went to stderr
    }

    private static Task<ChildProcessResult> RunAsync(string db, string how, string command) => how == "command line"
        ? WorkerProcess.Start(db, [$"--{command.ToLowerInvariant()}"], Verbose).WaitAsync()
        : WorkerProcess.Start(db, [], new Dictionary<string, string>(Verbose) { [$"Migrations__{command}"] = "true" }).WaitAsync();

    [Fact]
    public async Task List_as_json_prints_one_document_on_stdout_with_each_migrations_state_and_the_logs_on_stderr()
    {
        var db = await server.NewDatabaseAsync();
        Assert.Equal(ExitCodes.Success, (await WorkerProcess.RunAsync(db, "--target", Migrations.Names[0])).ExitCode);
        await using (var connection = new NpgsqlConnection(db))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await Database.ExecuteAsync(connection, Migrations.RecordNewerReleaseSql);
        }

        var list = await WorkerProcess.Start(db, ["--list", "--json"], new Dictionary<string, string>(Verbose) { ["Logging__Console__FormatterName"] = "json" }).WaitAsync();

        Assert.Equal(ExitCodes.Success, list.ExitCode);
        var database = new NpgsqlConnectionStringBuilder(db).Database;
        string Migration(string id, string state) => $$"""{"id":"{{id}}","name":"{{Migrations.NameOf(id)}}","state":"{{state}}"}""";
        Assert.Equal($$"""{"contexts":[{"context":"AppDbContext","connectionName":"appdb","database":"{{database}}","pendingModelChanges":false,"migrations":[""" +
            string.Join(",", [Migration(Migrations.Ids[0], "applied"), .. Migrations.Ids.Skip(1).Select(id => Migration(id, "pending")),
                Migration(Migrations.FromANewerRelease, "unknown")]) + "]}]}\n", list.Stdout);
        // The logs, one JSON object per line, for tools.
        Assert.All(list.Stderr.TrimEnd('\n').Split('\n'), line => Assert.StartsWith("{\"EventId\":", line));
    }

    [Fact]
    public async Task Json_without_list_exits_2_with_one_line()
    {
        var result = await WorkerProcess.RunAsync(await server.NewDatabaseAsync(), "--json");

        Assert.Equal(ExitCodes.InvalidArguments, result.ExitCode);
        Assert.Equal(("", "--json goes with --list or --plan.\nRun with --help for usage.\n"), (result.Stdout, result.Stderr));
    }

    [Theory]
    [InlineData("--target")]
    [InlineData("Migrations__Target")]
    public async Task A_target_migrates_without_seeding_even_to_the_latest_migration(string how)
    {
        var db = await server.NewDatabaseAsync();

        var result = how == "--target"
            ? await WorkerProcess.RunAsync(db, "--target", Migrations.Names[^1])
            : await WorkerProcess.Start(db, [], new Dictionary<string, string> { [how] = Migrations.Names[^1] }).WaitAsync();

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(Migrations.Names, await SchemaSnapshot.HistoryAsync(db));
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        Assert.Equal([0L], await Database.QueryAsync<long>(connection, """SELECT count(*) FROM "Todos" """));
        Assert.DoesNotContain("seed done", result.Output);
    }

    [Fact]
    public async Task List_on_a_database_that_does_not_exist_reports_everything_pending_and_creates_nothing()
    {
        var db = await server.NewDatabaseAsync();

        var list = await WorkerProcess.RunAsync(db, "--list");

        Assert.Equal(ExitCodes.Success, list.ExitCode);
        Assert.Equal($"AppDbContext: 0 applied, {Migrations.Ids.Count} pending\n" + string.Concat(Migrations.Ids.Select(id => $"  [pending] {id}\n")),
            list.Stdout);
        var missing = Assert.Throws<PostgresException>(() =>
        {
            using var connection = new NpgsqlConnection(db);
            connection.Open();
        });
        Assert.Equal(PostgresErrorCodes.InvalidCatalogName, missing.SqlState);
    }

    [Fact]
    public async Task Unknown_target_exits_2_with_one_line_naming_the_valid_migrations_and_touches_nothing()
    {
        var db = await server.NewDatabaseAsync();
        Assert.Equal(ExitCodes.Success, (await WorkerProcess.RunAsync(db, "--target", Migrations.Names[0])).ExitCode);
        var before = await SchemaSnapshot.TakeAsync(db);

        var result = await WorkerProcess.RunAsync(db, "--target", "NoSuchMigration");

        Assert.Equal(ExitCodes.InvalidArguments, result.ExitCode);
        Assert.Equal([$"Unknown target migration 'NoSuchMigration' for AppDbContext. Valid targets: 0 (revert all), {string.Join(", ", Migrations.Ids)}."],
            WorkerProcess.LoggedErrors(result.Output));
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
        Assert.Contains($"{Migrations.Ids.Count} migration(s) applied", first.Output);
        Assert.Equal(ExitCodes.Success, second.ExitCode);
        Assert.Contains("0 migration(s) applied", second.Output);
        Assert.Equal(afterFirst, await SchemaSnapshot.TakeAsync(db));
    }

    [Fact]
    public async Task A_list_the_user_emptied_stays_empty_whatever_runs_follow()
    {
        var db = await server.NewDatabaseAsync();
        var role = $"{new NpgsqlConnectionStringBuilder(db).Database}_web";
        Task<ChildProcessResult> RunAsync(string password, params string[] args) =>
            WorkerProcess.Start(db, args, new Dictionary<string, string> { ["ConnectionStrings__appdb-web"] = WebRole.Login(db, role, password) }).WaitAsync();
        var first = await RunAsync("Web-Password-1a2b");
        Assert.True(first.ExitCode == ExitCodes.Success, first.Output);
        Assert.Contains("AppDbContext: seed done", first.Output);
        await using var connection = await Database.OpenAsync(db, "test");
        Assert.Equal([(long)AppDbSeeder.Titles.Length], await Database.QueryAsync<long>(connection, """SELECT count(*) FROM "Todos" """));

        // What a user does in the app: delete every to-do.
        await Database.ExecuteAsync(connection, """DELETE FROM "Todos" """);

        // Runs of every kind: nothing to do; the role setup again (a new password); a rollback and the way forward.
        foreach (var (password, args) in new[]
        {
            ("Web-Password-1a2b", Array.Empty<string>()),
            ("Web-Password-3c4d", []),
            ("Web-Password-3c4d", ["--target", "AddDueDate"]),
            ("Web-Password-3c4d", []),
        })
        {
            var run = await RunAsync(password, args);
            Assert.True(run.ExitCode == ExitCodes.Success, run.Output);
            Assert.DoesNotContain("seed done", run.Output);
            Assert.Equal([0L], await Database.QueryAsync<long>(connection, """SELECT count(*) FROM "Todos" """));
        }

        Assert.Equal(Migrations.Names, await SchemaSnapshot.HistoryAsync(db));
    }

    [Fact]
    public async Task A_database_a_newer_release_migrated_is_left_as_it_is_and_the_run_exits_0()
    {
        // What the previous revision's init container meets when it restarts during a rollout, or after a rollback.
        var db = await server.NewDatabaseAsync();
        Assert.Equal(ExitCodes.Success, (await WorkerProcess.RunAsync(db)).ExitCode);
        await using (var connection = new NpgsqlConnection(db))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await Database.ExecuteAsync(connection, Migrations.RecordNewerReleaseSql);
        }

        var before = await SchemaSnapshot.TakeAsync(db);

        var rerun = await WorkerProcess.RunAsync(db);

        Assert.Equal(ExitCodes.Success, rerun.ExitCode);
        Assert.Contains($"AppDbContext: the database is ahead of this build: 1 applied migration(s) this build does not know ({Migrations.FromANewerRelease}); they stay applied",
            rerun.Output);
        Assert.Contains($"AppDbContext: 0 migration(s) applied, 0 reverted; {Migrations.Ids.Count + 1} applied in all", rerun.Output);
        Assert.Empty(WorkerProcess.LoggedErrors(rerun.Output));
        Assert.Equal(before, await SchemaSnapshot.TakeAsync(db));
        Assert.Equal([.. Migrations.Names, Migrations.NameOf(Migrations.FromANewerRelease)], await SchemaSnapshot.HistoryAsync(db));
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
        Assert.Equal([$"Could not connect to database 'appdb' on 127.0.0.1:{port}: no answer within 3 s. {WorkerProcess.UnreachableAdvice}"],
            WorkerProcess.LoggedErrors(result.Output));
        Assert.DoesNotContain(password, result.Output);
    }

    [Fact]
    public async Task Refused_credentials_exit_3_with_one_clear_line_without_echoing_the_password()
    {
        var builder = new NpgsqlConnectionStringBuilder(await server.NewDatabaseAsync()) { Password = "wrong-password-91c2" };

        var result = await WorkerProcess.RunAsync(builder.ConnectionString);

        Assert.Equal(ExitCodes.DatabaseUnreachable, result.ExitCode);
        Assert.Equal([$"Could not connect to database '{builder.Database}' on {builder.Host}:{builder.Port}: the server refused the credentials " +
            $"(check the user name and password). {WorkerProcess.UnreachableAdvice}"], WorkerProcess.LoggedErrors(result.Output));
        Assert.DoesNotContain("wrong-password-91c2", result.Output);
    }

    [Theory]
    [InlineData(null, "No connection string: set ConnectionStrings__appdb (the AppHost does this for you).")]
    [InlineData("Host=localhost;Bogus Keyword=secret-value-55", "The connection string 'appdb' is not valid: Couldn't set bogus keyword (Parameter 'bogus keyword')")]
    public async Task Missing_or_malformed_connection_string_exits_2_with_one_line_without_echoing_it(string? connectionString, string message)
    {
        var result = await WorkerProcess.RunAsync(connectionString);

        Assert.Equal(ExitCodes.InvalidArguments, result.ExitCode);
        Assert.Equal(("", message + "\n"), (result.Stdout, result.Stderr));
    }
}
