using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace IntegrationTests;

/// <summary>
/// The web app's login as the tests use it: read from the resource the AppHost built (never rebuilt by hand), or made for
/// a standalone worker's database; and what a statement run under some login answers.
/// </summary>
public static class WebRole
{
    /// <summary>The connection string the AppHost hands the web app (the <c>appdb-web</c> resource's).</summary>
    public static async Task<string> ConnectionStringAsync(DistributedApplication app) =>
        await app.GetConnectionStringAsync("appdb-web", TestContext.Current.CancellationToken)
        ?? throw new InvalidOperationException("appdb-web has no connection string.");

    /// <summary>The web app's password: the secret parameter <c>appdb-web-password</c> that <c>appdb-web</c> references.</summary>
    public static async Task<string> PasswordAsync(DistributedApplication app)
    {
        var parameter = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ParameterResource>()
            .Single(r => r.Name == "appdb-web-password");
        return await parameter.GetValueAsync(TestContext.Current.CancellationToken)
            ?? throw new InvalidOperationException("The web app's password parameter has no value.");
    }

    /// <summary><paramref name="connectionString"/>'s server and database, as <paramref name="role"/> with <paramref name="password"/>.</summary>
    public static string Login(string connectionString, string role, string password) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Username = role, Password = password }.ConnectionString;

    /// <summary>
    /// Runs <paramref name="sql"/> on a new, unpooled connection (so a changed password is asked for again) and returns the
    /// SQLSTATE it failed with — logging in included (28P01) — or null when it succeeded.
    /// </summary>
    public static async Task<string?> SqlStateOfAsync(string connectionString, string sql)
    {
        try
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            return null;
        }
        catch (PostgresException e)
        {
            return e.SqlState;
        }
    }

    /// <summary>One value, read under <paramref name="connectionString"/>'s login.</summary>
    public static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return Assert.Single(await Database.QueryAsync<T>(connection, sql));
    }
}
