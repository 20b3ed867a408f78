using System.Text.Json;
using Npgsql;

namespace SafeMigrations.Worker.Tests;

/// <summary>
/// The test worker (tests/TestWorker: the catalog, then the orders) run as a program, with only its two connection
/// strings and JSON console logs — the form tools read (one object per line).
/// </summary>
internal static class TestWorkerProcess
{
    /// <summary>Runs the worker to its end.</summary>
    public static Task<ChildProcessResult> RunAsync(string catalog, string orders, params string[] args) =>
        RunAsync(catalog, orders, new Dictionary<string, string>(), args);

    /// <summary>Runs the worker to its end, with <paramref name="environment"/> added to what a deployment would set.</summary>
    public static async Task<ChildProcessResult> RunAsync(string catalog, string orders, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        await using var worker = ChildProcess.Start("dotnet", [BuildOutput.Precompiled("TestWorker"), .. args], startInfo =>
        {
            // Nothing of the test's own environment leaks in: only what a deployment would set.
            foreach (var key in startInfo.Environment.Keys.Where(k => k.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase)
                         || k.StartsWith("Migrations__", StringComparison.OrdinalIgnoreCase) || k.StartsWith("OTEL_", StringComparison.Ordinal)).ToList())
            {
                startInfo.Environment.Remove(key);
            }

            startInfo.Environment["ConnectionStrings__catalog"] = catalog;
            startInfo.Environment["ConnectionStrings__orders"] = orders;
            startInfo.Environment["Logging__Console__FormatterName"] = "json";
            foreach (var (key, value) in environment)
            {
                startInfo.Environment[key] = value;
            }
        });
        return await worker.WaitAsync();
    }

    /// <summary>The messages of the entries logged at <paramref name="level"/>, in order (<c>Information</c>, <c>Error</c>, …).</summary>
    public static IReadOnlyList<string> Logged(ChildProcessResult result, string level) =>
    [
        .. result.Output.Split('\n').Where(line => line.StartsWith('{')).Select(line => JsonDocument.Parse(line).RootElement)
            .Where(entry => entry.GetProperty("LogLevel").GetString() == level)
            .Select(entry => entry.GetProperty("Message").GetString()!),
    ];

    /// <summary>The migrations <paramref name="historyTable"/> records, oldest first; none when the database or the table does not exist.</summary>
    public static async Task<List<string>> HistoryAsync(string connectionString, string historyTable = "__EFMigrationsHistory")
    {
        try
        {
            return await QueryAsync<string>(connectionString,
                $"""SELECT "MigrationId" FROM {PostgresIdentifier.Quote(historyTable)} ORDER BY "MigrationId" """);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InvalidCatalogName or PostgresErrorCodes.UndefinedTable)
        {
            return [];
        }
    }

    /// <summary>The first column of every row of <paramref name="sql"/>, run as the admin.</summary>
    public static async Task<List<T>> QueryAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return await IntegrationTests.Database.QueryAsync<T>(connection, sql);
    }

    /// <summary>Runs <paramref name="sql"/> as the admin, creating the database first when it does not exist.</summary>
    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        var maintenance = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres" }.ConnectionString;
        if ((await QueryAsync<bool>(maintenance, $"SELECT NOT EXISTS (SELECT FROM pg_database WHERE datname = {PostgresIdentifier.Literal(database)})")).Single())
        {
            await QueryAsync<int>(maintenance, $"CREATE DATABASE {PostgresIdentifier.Quote(database)}; SELECT 1");
        }

        await QueryAsync<int>(connectionString, sql + "; SELECT 1");
    }
}
