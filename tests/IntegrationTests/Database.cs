using LocalPostgres;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace IntegrationTests;

/// <summary>Direct access to the graph's database, through the connection string the AppHost hands out.</summary>
public static class Database
{
    public static async Task<NpgsqlConnection> OpenAsync(DistributedApplication app)
    {
        var connectionString = await app.GetConnectionStringAsync("appdb", TestContext.Current.CancellationToken);
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    /// <summary>The server's password: the secret parameter both modes share. Tests assert it appears nowhere.</summary>
    public static async Task<string> PasswordAsync(DistributedApplication app)
    {
        var parameter = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == "postgres") switch
        {
            PostgresServerResource container => container.PasswordParameter,
            LocalPostgresServerResource local => local.PasswordParameter,
            var other => throw new InvalidOperationException($"Unexpected server resource {other.GetType().Name}."),
        };
        return await parameter.GetValueAsync(TestContext.Current.CancellationToken)
            ?? throw new InvalidOperationException("The password parameter has no value.");
    }

    public static async Task<List<string>> AppliedMigrationsAsync(DistributedApplication app)
    {
        await using var connection = await OpenAsync(app);
        return await QueryAsync<string>(connection, """SELECT "MigrationId" FROM "__EFMigrationsHistory" ORDER BY "MigrationId" """);
    }

    /// <summary>Every to-do row, every column, in id order: compare two of these to prove that nothing was written.</summary>
    public static async Task<List<string>> TodoRowsAsync(DistributedApplication app)
    {
        await using var connection = await OpenAsync(app);
        return await QueryAsync<string>(connection,
            """SELECT format('%s|%s|%s|%s|%s', "Id", "Title", "IsDone", "CreatedAt", "DueDate") FROM "Todos" ORDER BY "Id" """);
    }

    public static async Task<List<T>> QueryAsync<T>(NpgsqlConnection connection, string sql)
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

    public static async Task ExecuteAsync(DistributedApplication app, string sql)
    {
        await using var connection = await OpenAsync(app);
        await ExecuteAsync(connection, sql);
    }

    /// <summary>A connection of the test's own, named <paramref name="applicationName"/> in <c>pg_stat_activity</c>.</summary>
    public static async Task<NpgsqlConnection> OpenAsync(string connectionString, string applicationName)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString)
        {
            ApplicationName = applicationName,
            // The test's own statements (a million rows, VACUUM) may take as long as any wait in a test: Npgsql's 30 s
            // is too short on a slow, busy machine, and a hang still fails at the deadline. (The graph's connections
            // keep the AppHost's string as it is, so that clearing its pool reaches them.)
            CommandTimeout = (int)TestDeadline.Timeout.TotalSeconds,
        }.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Asks <paramref name="condition"/> (a query returning one boolean) every 100 ms until it holds, within the test deadline.</summary>
    public static Task WaitUntilAsync(NpgsqlConnection connection, string condition) =>
        Poll.UntilAsync(async _ => (await QueryAsync<bool>(connection, condition)).Single(), TimeSpan.FromMilliseconds(100));
}
