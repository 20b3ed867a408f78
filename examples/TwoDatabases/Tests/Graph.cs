using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Tests;

/// <summary>Starts the AppHost's graph for a test (throwaway server, in the mode <c>Postgres:Mode</c> names) and reads it.</summary>
public static class Graph
{
    /// <summary>The AppHost's builder, with a server that keeps no data after the test.</summary>
    public static async Task<IDistributedApplicationTestingBuilder> CreateBuilderAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            ["--Postgres:Persistent=false"], TestContext.Current.CancellationToken);
        builder.Services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        return builder;
    }

    /// <summary>Builds and starts the graph; starting returns once resources are launched, not once they are ready.</summary>
    public static async Task<DistributedApplication> StartAsync(IDistributedApplicationTestingBuilder builder)
    {
        var app = await builder.BuildAsync(TestContext.Current.CancellationToken);
        using var deadline = Deadline.Start();
        await app.StartAsync(deadline.Token);
        return app;
    }

    /// <summary>Waits until <paramref name="resourceName"/> has exited, and returns its last snapshot.</summary>
    public static async Task<CustomResourceSnapshot> WaitForExitAsync(this DistributedApplication app, string resourceName)
    {
        using var deadline = Deadline.Start();
        var resourceEvent = await app.ResourceNotifications.WaitForResourceAsync(resourceName,
            e => e.Snapshot.ExitCode is not null && KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), deadline.Token);
        return resourceEvent.Snapshot;
    }

    /// <summary>Everything <paramref name="resourceName"/> has written so far.</summary>
    public static async Task<string> LogsAsync(this DistributedApplication app, string resourceName)
    {
        var lines = new List<string>();
        var logs = app.Services.GetRequiredService<ResourceLoggerService>();
        var resource = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == resourceName);
        await foreach (var batch in logs.GetAllAsync(resource).WithCancellation(TestContext.Current.CancellationToken))
        {
            lines.AddRange(batch.Select(line => line.Content));
        }

        return string.Join('\n', lines);
    }

    /// <summary>
    /// When each line <paramref name="resourceName"/> has written so far (each starts with its time) was written; only
    /// lines containing <paramref name="containing"/> when given.
    /// </summary>
    public static async Task<List<DateTimeOffset>> LogTimesAsync(this DistributedApplication app, string resourceName, string containing = "") =>
    [
        .. (await app.LogsAsync(resourceName)).Split('\n')
            .Where(line => line.Contains(containing, StringComparison.Ordinal))
            .Select(line => DateTimeOffset.TryParse(line.Split(' ')[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : (DateTimeOffset?)null)
            .OfType<DateTimeOffset>(),
    ];

    /// <summary>The ids of the migrations applied to <paramref name="database"/>, in order; none when it has no history yet.</summary>
    public static async Task<List<string>> AppliedMigrationsAsync(this DistributedApplication app, string database)
    {
        await using var connection = await app.OpenAsync(database);
        const string history = """SELECT "MigrationId" FROM "__EFMigrationsHistory" ORDER BY "MigrationId" """;
        return await connection.QueryAsync<bool>("""SELECT to_regclass('"__EFMigrationsHistory"') IS NOT NULL""") is [true]
            ? await connection.QueryAsync<string>(history)
            : [];
    }

    /// <summary>A connection to <paramref name="resourceName"/> (a database as the admin, or a web login), opened.</summary>
    public static async Task<NpgsqlConnection> OpenAsync(this DistributedApplication app, string resourceName, string? applicationName = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(await app.GetConnectionStringAsync(resourceName, TestContext.Current.CancellationToken));
        builder.ApplicationName = applicationName ?? builder.ApplicationName;
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    /// <summary>The first column of every row of <paramref name="sql"/>.</summary>
    public static async Task<List<T>> QueryAsync<T>(this NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var values = new List<T>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            values.Add(reader.GetFieldValue<T>(0));
        }

        return values;
    }

    /// <summary>Runs <paramref name="sql"/>.</summary>
    public static async Task ExecuteAsync(this NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
