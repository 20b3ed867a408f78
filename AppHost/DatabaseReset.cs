using Aspire.Hosting.ApplicationModel;
using LocalPostgres;
using Npgsql;

namespace AppHost;

/// <summary>
/// Drops and recreates a database on a server this AppHost runs (container or local binaries), through the server's
/// admin account: development only. Never for an existing server (External mode), which this AppHost does not own.
/// </summary>
internal sealed class DatabaseReset
{
    private readonly ReferenceExpression _adminConnectionString;

    private DatabaseReset(IResourceWithConnectionString server, string databaseName)
    {
        // The server's own credentials on its maintenance database, not the app's connection string: a database cannot be
        // dropped while connected to it, and what the app is handed need not have that power.
        _adminConnectionString = ReferenceExpression.Create($"{server};Database=postgres");
        DatabaseName = databaseName;
    }

    /// <summary>The database's name on its server.</summary>
    public string DatabaseName { get; }

    /// <summary>The reset of <paramref name="database"/>, or null when this AppHost does not run its server.</summary>
    public static DatabaseReset? For(IResource database) => database switch
    {
        PostgresDatabaseResource container => new(container.Parent, container.DatabaseName),
        LocalPostgresDatabaseResource local => new(local.Parent, local.DatabaseName),
        _ => null,
    };

    /// <summary>
    /// Drops the database, ending every session on it (the web app's pooled connections reconnect on their next use),
    /// then creates it empty, so that it exists again when the worker (and the database's health check) connect.
    /// </summary>
    public async Task DropAndCreateAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(await _adminConnectionString.GetValueAsync(cancellationToken));
        await connection.OpenAsync(cancellationToken);
        var quoted = "\"" + DatabaseName.Replace("\"", "\"\"") + "\"";
        // WITH (FORCE): PostgreSQL 13 or later, as in both modes here.
        foreach (var sql in new[] { $"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)", $"CREATE DATABASE {quoted}" })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
