using Aspire.Hosting.ApplicationModel;
using Npgsql;

namespace SafeMigrations.Hosting;

/// <summary>
/// Drops and recreates the databases of a worker whose servers this AppHost runs (container or local binaries), through
/// each server's admin account: development only. Never for an existing server (External mode), which this AppHost does
/// not own.
/// </summary>
internal sealed class DatabaseReset
{
    private readonly IReadOnlyList<(string Name, ReferenceExpression MaintenanceConnectionString)> _databases;

    private DatabaseReset(IReadOnlyList<(string, ReferenceExpression)> databases) => _databases = databases;

    /// <summary>The databases' names on their servers.</summary>
    public IReadOnlyList<string> DatabaseNames => [.. _databases.Select(d => d.Name)];

    /// <summary>The reset of every database of <paramref name="worker"/>, or null when this AppHost does not run the server of one.</summary>
    public static DatabaseReset? For(MigrationWorkerAnnotation worker)
    {
        var databases = new List<(string, ReferenceExpression)>();
        foreach (var database in worker.Databases)
        {
            if (database.Database.Annotations.OfType<PostgresDatabaseAnnotation>().SingleOrDefault() is not
                { DatabaseName: { } name, MaintenanceConnectionString: { } maintenance })
            {
                return null;
            }

            databases.Add((name, maintenance));
        }

        return databases.Count == 0 ? null : new DatabaseReset(databases);
    }

    /// <summary>
    /// Drops each database, ending every session on it (the web app's pooled connections reconnect on their next use),
    /// then creates it empty, so that it exists again when the worker (and the database's health check) connect.
    /// </summary>
    public async Task DropAndCreateAsync(CancellationToken cancellationToken)
    {
        foreach (var (name, maintenance) in _databases)
        {
            await using var connection = new NpgsqlConnection(await maintenance.GetValueAsync(cancellationToken));
            await connection.OpenAsync(cancellationToken);
            // The one quoting rule of PostgreSQL identifiers: double quotes, doubled inside. (Npgsql has no public helper.)
            var quoted = "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            // WITH (FORCE): PostgreSQL 13 or later.
            foreach (var sql in new[] { $"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)", $"CREATE DATABASE {quoted}" })
            {
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }
}
