using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace LocalPostgres;

/// <summary>What happens around the server's run: its data directory, its databases and their health and state.</summary>
internal static class LocalPostgresLifecycle
{
    /// <summary>Subscribes the server's events; returns the key of its health check.</summary>
    public static string Subscribe(IDistributedApplicationBuilder builder, LocalPostgresServerResource server, LocalPostgresAccount account)
    {
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(server, async (e, cancellationToken) =>
        {
            var logger = e.Services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
            await LocalPostgresDataDirectory.InitialiseAsync(server, account, logger, cancellationToken);
        });

        // Aspire passes a parent's state on to its children only for containers: the databases get theirs here.
        builder.Eventing.Subscribe<ResourceReadyEvent>(server, async (e, cancellationToken) =>
        {
            await CreateDatabasesAsync(server, cancellationToken);
            await PublishDatabaseStateAsync(server, e.Services, KnownResourceStates.Running);
        });
        builder.Eventing.Subscribe<ResourceStoppedEvent>(server, async (e, _) =>
            await PublishDatabaseStateAsync(server, e.Services, e.ResourceEvent.Snapshot.State?.Text ?? KnownResourceStates.Exited));

        builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
        {
            e.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(() =>
            {
                if (!server.KeepsData)
                {
                    LocalPostgresDataDirectory.Remove(server.DataDirectory);
                }
            });
            return Task.CompletedTask;
        });

        return AddHealthCheck(builder, server, server);
    }

    /// <summary>A health check that passes once <paramref name="target"/> accepts connections; returns its key.</summary>
    public static string AddHealthCheck(IDistributedApplicationBuilder builder, LocalPostgresServerResource server, IResourceWithConnectionString target)
    {
        // The connection string is known once the port is allocated, that is when the server starts.
        string? connectionString = null;
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(server, async (_, cancellationToken) =>
            connectionString = await target.ConnectionStringExpression.GetValueAsync(cancellationToken));
        var key = $"{target.Name}_check";
        builder.Services.AddHealthChecks().AddNpgSql(
            _ => connectionString ?? throw new InvalidOperationException("The server has not started yet."), name: key);
        return key;
    }

    private static async Task PublishDatabaseStateAsync(LocalPostgresServerResource server, IServiceProvider services, string state)
    {
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        foreach (var database in server.Databases)
        {
            await notifications.PublishUpdateAsync(database, snapshot => snapshot with { State = state });
        }
    }

    private static async Task CreateDatabasesAsync(LocalPostgresServerResource server, CancellationToken cancellationToken)
    {
        // Unpooled: this runs again after a restart of the server, when connections pooled by the previous run are dead.
        var connectionString = new NpgsqlConnectionStringBuilder(await server.ConnectionStringExpression.GetValueAsync(cancellationToken))
        {
            Database = "postgres",
            Pooling = false,
        }.ConnectionString;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        foreach (var databaseName in server.Databases.Select(d => d.DatabaseName))
        {
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
            exists.Parameters.AddWithValue("name", databaseName);
            if (await exists.ExecuteScalarAsync(cancellationToken) is null)
            {
                var quoted = "\"" + databaseName.Replace("\"", "\"\"") + "\"";
                await using var create = new NpgsqlCommand($"CREATE DATABASE {quoted}", connection);
                await create.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }
}
