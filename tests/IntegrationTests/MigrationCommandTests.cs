using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MigrationService;
using SafeMigrations.Worker;
using Npgsql;

namespace IntegrationTests;

/// <summary>
/// The commands on the <c>migrations</c> resource, executed as the dashboard and the Aspire CLI execute them
/// (<see cref="ResourceCommandService"/>), against the running graph: the worker runs for each, the web app keeps running.
/// Each test leaves the database at the latest migration.
/// </summary>
[Collection(MigrationConsoleCollection.Name)]
public sealed class MigrationCommandTests(MigrationConsoleGraph graph)
{
    [Fact]
    public async Task Status_returns_every_migration_as_applied_and_writes_it_to_the_console_logs()
    {
        var app = await graph.GetAsync();

        var result = await ExecuteAsync(app, "status");

        Assert.True(result.Success, result.Message);
        Assert.Equal("Applied and pending migrations (also in the console logs of 'migrations').", result.Message);
        var expected = $"AppDbContext: {Migrations.Ids.Count} applied, 0 pending\n" + string.Concat(Migrations.Ids.Select(id => $"  [applied] {id}\n"));
        Assert.Equal(expected, result.Data?.Value);
        var logs = await ConsoleLinesAsync(app);
        Assert.All(expected.TrimEnd('\n').Split('\n'), line => Assert.Contains(line, logs));
    }

    [Fact]
    public async Task Migrate_to_the_first_migration_turns_the_running_webapp_unhealthy_and_migrate_to_latest_heals_it()
    {
        var app = await graph.GetAsync();
        var webapp = WebAppProcess(app);
        // No resilience handler: its retries would hide the 503 the test looks for.
        using var http = new HttpClient { BaseAddress = app.GetEndpoint("webapp", "http") };

        // The seeded rows hold values the down-migrations drop: refused without the consent, and nothing moves.
        var refused = await ExecuteAsync(app, "migrate-to", Migrations.Names[0].ToLowerInvariant());
        Assert.False(refused.Success);
        Assert.StartsWith("Refusing to migrate down: ", refused.Message);
        Assert.Equal(Migrations.Ids, await Database.AppliedMigrationsAsync(app));

        var back = await ExecuteAsync(app, "migrate-to", Migrations.Names[0].ToLowerInvariant(), allowDataLoss: true);

        Assert.True(back.Success, back.Message);
        // The target as asked: the worker resolved it (its logs name the migrations it reverted).
        Assert.Equal($"Migrated to {Migrations.Names[0].ToLowerInvariant()}.", back.Message);
        Assert.Equal([Migrations.Ids[0]], await Database.AppliedMigrationsAsync(app));
        await WebAppSettings.WaitOutReadinessAnswerAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await HealthAsync(http));
        await WaitForWebAppHealthAsync(app, HealthStatus.Unhealthy);

        // Pending SQL, with something pending: the script of exactly that, and nothing applied.
        var before = await SchemaAsync(app);
        var script = await ExecuteAsync(app, "pending-sql");
        Assert.True(script.Success, script.Message);
        Assert.Equal("The idempotent SQL of the pending migrations is in the console logs of 'migrations'.", script.Message);
        Assert.Equal($"-- AppDbContext: pending migrations (idempotent)\n{Migrations.WorkerScript(from: Migrations.Ids[0])}\n", script.Data?.Value);
        Assert.Equal(before, await SchemaAsync(app));

        // The command's worker gets the resource's whole environment: the web app's login as well as the admin's.
        const string passwordSet = "info: SafeMigrations.Worker.DatabaseRoles[0] Roles of database appdb: appdb_owner owns the schema and runs the migrations " +
            "(0 object(s) taken over from postgres); appdb_web (the web app) may read and write rows; its password was set";
        var passwordSetBefore = await CountLinesAsync(app, line => line == passwordSet);
        var forward = await ExecuteAsync(app, "migrate");

        Assert.True(forward.Success, forward.Message);
        Assert.Equal("Migrated to the latest migration.", forward.Message);
        Assert.Equal(passwordSetBefore + 1, await CountLinesAsync(app, line => line == passwordSet));
        var logs = await app.GetLogsAsync("migrations");
        Assert.DoesNotContain(await Database.PasswordAsync(app), logs);
        Assert.DoesNotContain(await WebRole.PasswordAsync(app), logs);
        Assert.Equal(Migrations.Ids, await Database.AppliedMigrationsAsync(app));
        await WebAppSettings.WaitOutReadinessAnswerAsync();
        Assert.Equal(HttpStatusCode.OK, await HealthAsync(http));
        await WaitForWebAppHealthAsync(app, HealthStatus.Healthy);
        Assert.Equal(webapp, WebAppProcess(app)); // the same process throughout: no restart
    }

    [Fact]
    public async Task Pending_SQL_with_nothing_pending_says_so_and_changes_nothing()
    {
        var app = await graph.GetAsync();
        var before = await SchemaAsync(app);

        var result = await ExecuteAsync(app, "pending-sql");

        Assert.True(result.Success, result.Message);
        Assert.Equal("-- AppDbContext: no pending migrations\n", result.Data?.Value);
        Assert.Equal(before, await SchemaAsync(app));
    }

    [Fact]
    public async Task Plan_with_nothing_pending_says_so_and_changes_nothing()
    {
        var app = await graph.GetAsync();
        var before = await SchemaAsync(app);

        var result = await ExecuteAsync(app, "plan");

        Assert.True(result.Success, result.Message);
        Assert.Equal("The pending migrations' locks, estimated times and data checks (also in the console logs of 'migrations').", result.Message);
        Assert.Equal("AppDbContext (appdb): nothing pending\n", result.Data?.Value);
        Assert.Equal(before, await SchemaAsync(app));
    }

    [Fact]
    public async Task Drift_finds_none_on_the_migrated_database_and_reports_a_column_added_out_of_band_as_a_failure_with_the_differences()
    {
        var app = await graph.GetAsync();

        var clean = await ExecuteAsync(app, "drift");

        Assert.True(clean.Success, clean.Message);
        Assert.Equal($"AppDbContext (appdb): no drift from the schema as of {Migrations.Ids[^1]}\n", clean.Data?.Value);

        await Database.ExecuteAsync(app, """ALTER TABLE "Todos" ADD COLUMN "Hotfix" text""");
        try
        {
            var drifted = await ExecuteAsync(app, "drift");

            Assert.False(drifted.Success);
            Assert.Equal("Drift: the schema differs from what the applied migrations build (also in the console logs of 'migrations').", drifted.Message);
            Assert.Equal($"AppDbContext (appdb): 1 difference(s) from the schema as of {Migrations.Ids[^1]}\n" +
                "  Todos.Hotfix: column not built by the migrations (text NULL)\n", drifted.Data?.Value);
            Assert.Contains("  Todos.Hotfix: column not built by the migrations (text NULL)", await ConsoleLinesAsync(app));
        }
        finally
        {
            await Database.ExecuteAsync(app, """ALTER TABLE "Todos" DROP COLUMN "Hotfix" """);
        }
    }

    [Fact]
    public async Task An_unknown_target_is_refused_by_the_worker_with_the_valid_targets_and_nothing_changes()
    {
        var app = await graph.GetAsync();
        var before = await SchemaAsync(app);
        static bool WorkerStarted(string line) => line.StartsWith("Running the worker", StringComparison.Ordinal);
        var workersBefore = await CountLinesAsync(app, WorkerStarted);

        var result = await ExecuteAsync(app, "migrate-to", "NoSuchMigration");

        Assert.False(result.Success);
        // The worker's own line (exit 2): the AppHost does not resolve migrations itself.
        Assert.Equal($"Unknown target migration 'NoSuchMigration' for AppDbContext. Valid targets: 0 (revert all), {string.Join(", ", Migrations.Ids)}.",
            result.Message);
        Assert.Contains("The worker exited with code 2.", await ConsoleLinesAsync(app));
        Assert.Equal(before, await SchemaAsync(app));
        Assert.Equal(workersBefore + 1, await CountLinesAsync(app, WorkerStarted));
    }

    [Fact]
    public async Task Migrate_to_offers_0_and_the_migrations_the_worker_lists_when_the_dialog_opens()
    {
        var app = await graph.GetAsync();
        var command = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == "migrations")
            .Annotations.OfType<ResourceCommandAnnotation>().Single(c => c.Name == "migrate-to");
        // As the dashboard opens the dialog: copies of the inputs, the target's choices loaded by its callback.
        var inputs = new InteractionInputCollection([.. command.Arguments.Select(a => new InteractionInput
        {
            Name = a.Name, InputType = a.InputType, Options = a.Options, AllowCustomChoice = a.AllowCustomChoice, DynamicLoading = a.DynamicLoading,
        })]);
        var target = inputs["target"];
        using var deadline = TestDeadline.Start();

        await target.DynamicLoading!.LoadCallback(new LoadInputContext
        {
            Input = target, AllInputs = inputs, Services = app.Services, CancellationToken = deadline.Token,
        });

        Assert.Equal(["0", .. Migrations.Ids], target.Options!.Select(o => o.Key));
        Assert.Equal([("AppDbContext", "AppDbContext")], inputs["context"].Options!.Select(o => (o.Key, o.Value)));
        Assert.Contains("Running the worker: --list --json", await ConsoleLinesAsync(app));
    }

    [Fact]
    public async Task A_failing_worker_run_returns_the_workers_error_line()
    {
        var app = await graph.GetAsync();
        // A run with something to do fails on a read-only database: a target always has (with nothing to do, a run
        // only reads, and succeeds).
        await Database.ExecuteAsync(app, "ALTER DATABASE appdb SET default_transaction_read_only = on");
        try
        {
            var result = await ExecuteAsync(app, "migrate-to", Migrations.Names[^1]);

            Assert.False(result.Success);
            var error = (await ConsoleLinesAsync(app)).Last(line => line.StartsWith("fail: ", StringComparison.Ordinal));
            Assert.Equal($"fail: SafeMigrations.Worker.MigrationWorkerBuilder[0] {result.Message}", error);
            Assert.StartsWith("Migration failed: 25006: cannot execute ", result.Message);
        }
        finally
        {
            // A session of its own may be read-only too: lift that first, in a statement of its own.
            await using var connection = await Database.OpenAsync(app);
            await Database.ExecuteAsync(connection, "SET default_transaction_read_only = off");
            await Database.ExecuteAsync(connection, "ALTER DATABASE appdb RESET default_transaction_read_only");
        }
    }

    [Fact]
    public async Task Reset_database_recreates_migrates_and_seeds_it_with_the_webapp_still_running()
    {
        var app = await graph.GetAsync();
        var webapp = WebAppProcess(app);
        await Database.ExecuteAsync(app, """INSERT INTO "Todos" ("Title", "IsDone") VALUES ('Added before the reset', false)""");
        var databaseBefore = await DatabaseOidAsync(app);

        var result = await ExecuteAsync(app, "reset-database");

        Assert.True(result.Success, result.Message);
        Assert.Equal("The database 'appdb' was recreated, migrated and seeded.", result.Message);
        // The test's pooled connections were ended with the old database.
        NpgsqlConnection.ClearPool(new NpgsqlConnection(await app.GetConnectionStringAsync("appdb", TestContext.Current.CancellationToken)));
        Assert.NotEqual(databaseBefore, await DatabaseOidAsync(app));
        Assert.Equal(Migrations.Ids, await Database.AppliedMigrationsAsync(app));
        await using (var connection = await Database.OpenAsync(app))
        {
            Assert.Equal(AppDbSeeder.Titles, await Database.QueryAsync<string>(connection, """SELECT "Title" FROM "Todos" ORDER BY "Id" """));
        }

        // The web app's sessions on the old database were ended; it reconnects by itself.
        using var http = app.CreateHttpClient("webapp");
        var todos = await http.GetFromJsonAsync<List<TodoTitle>>("/api/todos", TestContext.Current.CancellationToken);
        Assert.Equal(AppDbSeeder.Titles.Order(), todos!.Select(t => t.Title).Order());
        Assert.Equal(webapp, WebAppProcess(app));
    }

    [Fact]
    public async Task Two_commands_at_once_run_one_after_the_other_each_shown_as_the_workers_state()
    {
        var app = await graph.GetAsync();
        var states = new List<string?>();
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var watch = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in app.ResourceNotifications.WatchAsync(watching.Token).Where(e => e.Resource.Name == "migrations"))
                {
                    lock (states)
                    {
                        if (states.Count == 0 || states[^1] != e.Snapshot.State?.Text)
                        {
                            states.Add(e.Snapshot.State?.Text);
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (watching.IsCancellationRequested)
            {
            }
        }, TestContext.Current.CancellationToken);
        // Watching replays the current state first: once that is seen, no later state can be missed.
        await Poll.UntilAsync(_ => Task.FromResult(Snapshot(states).Count > 0));

        var results = await Task.WhenAll(ExecuteAsync(app, "migrate"), ExecuteAsync(app, "status"));

        Assert.All(results, result => Assert.True(result.Success, result.Message));
        // Each command restores the state before the next one shows its own: they never overlap.
        var seen = await Poll.UntilAsync(_ => Task.FromResult(Snapshot(states)),
            s => s[^1] == KnownResourceStates.Finished && s.Contains("Migrating to latest…") && s.Contains("Status…"));
        await watching.CancelAsync();
        await watch;
        string?[] migrateFirst = [KnownResourceStates.Finished, "Migrating to latest…", KnownResourceStates.Finished, "Status…", KnownResourceStates.Finished];
        string?[] statusFirst = [KnownResourceStates.Finished, "Status…", KnownResourceStates.Finished, "Migrating to latest…", KnownResourceStates.Finished];
        Assert.True(seen.SequenceEqual(migrateFirst) || seen.SequenceEqual(statusFirst), string.Join(" → ", seen));
    }

    private static List<string?> Snapshot(List<string?> states)
    {
        lock (states)
        {
            return [.. states];
        }
    }

    private sealed record TodoTitle(string Title);

    /// <summary>
    /// Executes <paramref name="command"/> on <c>migrations</c>, with its <c>target</c> argument when given and its
    /// "Allow data loss" checkbox when <paramref name="allowDataLoss"/> is set.
    /// </summary>
    internal static async Task<ExecuteCommandResult> ExecuteAsync(DistributedApplication app, string command, string? target = null,
        bool? allowDataLoss = null)
    {
        using var deadline = TestDeadline.Start();
        InteractionInputCollection arguments = new([
            .. target is null ? [] : new[] { new InteractionInput { Name = "target", InputType = InputType.Text, Value = target } },
            .. allowDataLoss is null ? [] : new[] { new InteractionInput { Name = "allowDataLoss", InputType = InputType.Boolean, Value = allowDataLoss.Value ? "true" : "false" } },
        ]);
        return await app.ResourceCommands.ExecuteCommandAsync("migrations", command, arguments, deadline.Token);
    }

    /// <summary>The console log lines of <c>migrations</c>, without their timestamps.</summary>
    private static async Task<List<string>> ConsoleLinesAsync(DistributedApplication app) =>
        [.. (await app.GetLogsAsync("migrations")).Split('\n').Select(line => line[(line.IndexOf(' ') + 1)..])];

    /// <summary>
    /// How many console log lines of <c>migrations</c> match: counted, not taken from a position, because the logs of the
    /// resource's own run and those of the commands are not in one order.
    /// </summary>
    private static async Task<int> CountLinesAsync(DistributedApplication app, Func<string, bool> match) =>
        (await ConsoleLinesAsync(app)).Count(match);

    /// <summary>What identifies the web app's process: its pid and start time.</summary>
    private static (object? Pid, DateTime? Started) WebAppProcess(DistributedApplication app)
    {
        Assert.True(app.ResourceNotifications.TryGetCurrentState("webapp", out var webapp));
        var pid = webapp.Snapshot.Properties.Single(p => p.Name == "executable.pid").Value;
        Assert.NotNull(pid);
        return (pid, webapp.Snapshot.StartTimeStamp);
    }

    private static async Task<HttpStatusCode> HealthAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/health", TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    /// <summary>Waits for the dashboard's health of the web app (Aspire polls <c>/health</c>: up to 30 s apart while healthy).</summary>
    private static async Task WaitForWebAppHealthAsync(DistributedApplication app, HealthStatus status)
    {
        using var deadline = TestDeadline.Start();
        await app.ResourceNotifications.WaitForResourceAsync("webapp", e => e.Snapshot.HealthStatus == status, deadline.Token);
    }

    private static async Task<string> SchemaAsync(DistributedApplication app) =>
        await SchemaSnapshot.TakeAsync((await app.GetConnectionStringAsync("appdb", TestContext.Current.CancellationToken))!);

    private static async Task<uint> DatabaseOidAsync(DistributedApplication app)
    {
        await using var connection = await Database.OpenAsync(app);
        return (await Database.QueryAsync<uint>(connection, "SELECT oid FROM pg_database WHERE datname = current_database()")).Single();
    }
}
