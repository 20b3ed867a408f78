using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using OnlineMigration;

// The online migration (AddUpdatedAt, run by the worker) against the same work done plainly in psql (baseline.sql), on
// identical copies of a filled table, each alone and with a writer running. See bench/README.md.
var options = BenchOptions.Parse(args);
var server = new NpgsqlConnectionStringBuilder(options.Server);
var template = $"bench_online_{Environment.ProcessId}";
var results = new List<Result>();
Result? floor = null;

await using (var admin = await OpenAsync(server.ConnectionString))
{
    Console.WriteLine($"# {await ScalarAsync(admin, "SELECT version()")}");
    Console.WriteLine($"# {Machine.Describe()}; {options.Rows:N0} rows");
    try
    {
        var fill = Stopwatch.StartNew();
        await RunWorkerAsync(Database(template), "--target", "AddDueDate");
        await using (var db = await OpenAsync(Database(template)))
        {
            await ExecuteAsync(db, $"""
                INSERT INTO "Todos" ("Title", "IsDone", "CreatedAt")
                SELECT 'bulk ' || n, n % 5 = 0, timestamptz '2026-01-01 00:00:00+00' + n * interval '1 second'
                FROM generate_series(1, {options.Rows}) AS n
                """);
            await ExecuteAsync(db, """VACUUM ANALYZE "Todos" """);
            // The owner role is named after the database, so a copy's worker would not find its own: hand the objects
            // back to the admin, as an earlier version of the worker left them, and each copy's worker adopts them.
            await ExecuteAsync(db, $"REASSIGN OWNED BY \"{template}_owner\" TO CURRENT_USER");
        }

        NpgsqlConnection.ClearAllPools();
        Console.WriteLine($"# filled in {fill.Elapsed.TotalSeconds:0.0} s");
        floor = await MeasureWriterAloneAsync(TimeSpan.FromSeconds(10));
        foreach (var withWriter in new[] { false, true })
        {
            results.Add(await MeasureAsync("psql: UPDATE + SET NOT NULL + CREATE INDEX", withWriter, RunBaselineAsync));
            results.Add(await MeasureAsync("worker: online migration", withWriter, RunOnlineAsync));
        }
    }
    finally
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{template}\" WITH (FORCE)");
    }
}

Report.Print(results, floor!);
return 0;

// The writer with no migration running: how long its writes take on this machine anyway (commits, I/O, other load).
async Task<Result> MeasureWriterAloneAsync(TimeSpan duration) => await MeasureAsync("no migration (writer alone)", withWriter: true, async _ =>
{
    await Task.Delay(duration);
    return new Phases(default, default, default, default, default, [], duration);
});

async Task<Result> MeasureAsync(string variant, bool withWriter, Func<string, Task<Phases>> run)
{
    var name = $"{template}_{results.Count}";
    await using var admin = await OpenAsync(server.ConnectionString);
    await ExecuteAsync(admin, $"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"");
    try
    {
        var writer = withWriter ? await Writer.StartAsync(Database(name), options.Rows) : null;
        var phases = await run(Database(name));
        Writer? done = null;
        if (writer is not null)
        {
            await writer.DisposeAsync();
            done = writer;
        }

        NpgsqlConnection.ClearAllPools();
        Console.WriteLine($"# {variant}{(withWriter ? ", with a writer" : "")}: {phases.Total.TotalSeconds:0.00} s");
        return new Result(variant, withWriter, phases, done?.Writes, done?.Errors, done?.LongestWait);
    }
    finally
    {
        await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }
}

async Task<Phases> RunBaselineAsync(string connectionString)
{
    var builder = new NpgsqlConnectionStringBuilder(connectionString);
    var psql = new ProcessStartInfo(options.Psql) { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var arg in new[] { "-X", "-q", "-f", Path.Combine(AppContext.BaseDirectory, "baseline.sql") })
    {
        psql.ArgumentList.Add(arg);
    }

    psql.Environment["PGHOST"] = builder.Host;
    psql.Environment["PGPORT"] = builder.Port.ToString(CultureInfo.InvariantCulture);
    psql.Environment["PGUSER"] = builder.Username;
    psql.Environment["PGDATABASE"] = builder.Database;
    if (builder.Password is { } password)
    {
        psql.Environment["PGPASSWORD"] = password;
    }

    var output = await RunAsync(psql, "psql");
    // \timing prints one "Time:" line per statement, in the file's order: BEGIN, ALTER, FUNCTION, TRIGGER, COMMIT,
    // UPDATE, SET NOT NULL, CREATE INDEX.
    var times = Regex.Matches(output, @"^Time: ([\d.]+) ms", RegexOptions.Multiline)
        .Select(m => TimeSpan.FromMilliseconds(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))).ToList();
    if (times.Count != 8)
    {
        throw new InvalidOperationException($"Expected 8 timings from psql, got {times.Count}:\n{output}");
    }

    var total = times.Aggregate(TimeSpan.Zero, (sum, time) => sum + time);
    return new Phases(Expand: total - times[5] - times[6] - times[7], Backfill: times[5], NotNull: times[6], Index: times[7],
        Other: TimeSpan.Zero, BatchTimes: [times[5]], Total: total);
}

async Task<Phases> RunOnlineAsync(string connectionString) =>
    Phases.FromWorkerLog(await RunWorkerAsync(connectionString));

async Task<string> RunWorkerAsync(string connectionString, params string[] workerArgs)
{
    var worker = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
    worker.ArgumentList.Add(options.Worker);
    foreach (var arg in workerArgs)
    {
        worker.ArgumentList.Add(arg);
    }

    worker.Environment["ConnectionStrings__appdb"] = connectionString;
    // Every statement with its duration (EF Core's command log), to see where the time goes.
    worker.Environment["Logging__LogLevel__Microsoft.EntityFrameworkCore.Database.Command"] = "Information";
    worker.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
    return await RunAsync(worker, "worker");
}

static async Task<string> RunAsync(ProcessStartInfo startInfo, string name)
{
    using var process = Process.Start(startInfo)!;
    var stdout = process.StandardOutput.ReadToEndAsync();
    var stderr = process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    var output = await stdout + await stderr;
    return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{name} exited {process.ExitCode}:\n{output}");
}

string Database(string name) => new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name }.ConnectionString;

static async Task<NpgsqlConnection> OpenAsync(string connectionString)
{
    var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    return connection;
}

static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
{
    await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
    await command.ExecuteNonQueryAsync();
}

static async Task<string> ScalarAsync(NpgsqlConnection connection, string sql)
{
    await using var command = new NpgsqlCommand(sql, connection);
    return (string)(await command.ExecuteScalarAsync())!;
}
