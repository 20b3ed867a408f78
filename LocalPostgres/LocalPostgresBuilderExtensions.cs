using System.Diagnostics;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Aspire.Hosting.LocalPostgres;

/// <summary>
/// Runs PostgreSQL from the server binaries installed on this machine, for machines without a container engine.
/// Written here because Aspire has no such integration; it mirrors what <c>AddPostgres</c> does for the container:
/// a health check that passes once the server accepts connections, and databases created when it is ready.
/// </summary>
public static class LocalPostgresBuilderExtensions
{
    /// <summary>Adds the server. Its data directory is initialised on first start, with the password of <paramref name="password"/>.</summary>
    /// <param name="persistent">Keep data in a directory per user and major version; otherwise a throwaway directory removed at shutdown.</param>
    public static IResourceBuilder<LocalPostgresServerResource> AddLocalPostgres(this IDistributedApplicationBuilder builder,
        string name, LocalPostgresInstallation installation, ParameterResource password, bool persistent)
    {
        var dataDirectory = persistent
            ? LocalPostgresDataDirectory.Persistent(installation.MajorVersion)
            : LocalPostgresDataDirectory.Throwaway();
        var account = LocalPostgresAccount.ForCurrentProcess();
        var server = new LocalPostgresServerResource(name, account.Command(installation.Postgres), installation, dataDirectory, password);

        string? adminConnectionString = null;
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(server, async (e, cancellationToken) =>
        {
            adminConnectionString = await server.ConnectionStringExpression.GetValueAsync(cancellationToken) + ";Database=postgres";
            var logger = e.Services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
            await LocalPostgresDataDirectory.InitialiseAsync(server, account, logger, cancellationToken);
        });

        // Aspire passes a parent's state on to its children only for containers: the databases get theirs here.
        builder.Eventing.Subscribe<ResourceReadyEvent>(server, async (e, cancellationToken) =>
        {
            await CreateDatabasesAsync(server, adminConnectionString!, cancellationToken);
            await PublishDatabaseStateAsync(server, e.Services, KnownResourceStates.Running);
        });
        builder.Eventing.Subscribe<ResourceStoppedEvent>(server, async (e, _) =>
            await PublishDatabaseStateAsync(server, e.Services, e.ResourceEvent.Snapshot.State?.Text ?? KnownResourceStates.Exited));

        if (!persistent)
        {
            builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
            {
                e.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped
                    .Register(() => LocalPostgresDataDirectory.Remove(dataDirectory));
                return Task.CompletedTask;
            });
        }

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddNpgSql(
            _ => adminConnectionString ?? throw new InvalidOperationException("The server has not started yet."),
            name: healthCheckKey);

        return builder.AddResource(server)
            .WithArgs(account.Arguments(installation.Postgres,
                "-D", dataDirectory,
                // TCP on loopback only; no Unix socket, whose default folder may not be writable here.
                "-c", "listen_addresses=localhost",
                "-c", "unix_socket_directories="))
            // DCP picks the port and hands it over in PGPORT, which postgres reads as its default port.
            .WithEndpoint(name: LocalPostgresServerResource.EndpointName, scheme: "tcp", env: "PGPORT")
            .WithIconName("DatabaseMultiple")
            .WithHealthCheck(healthCheckKey);
    }

    /// <summary>Adds a database, created on the server when it first accepts connections.</summary>
    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(this IResourceBuilder<LocalPostgresServerResource> server,
        string name, string? databaseName = null)
    {
        var database = new LocalPostgresDatabaseResource(name, databaseName ?? name, server.Resource);
        server.Resource.Databases.Add(database);

        string? connectionString = null;
        server.ApplicationBuilder.Eventing.Subscribe<BeforeResourceStartedEvent>(server.Resource, async (_, cancellationToken) =>
            connectionString = await database.ConnectionStringExpression.GetValueAsync(cancellationToken));
        var healthCheckKey = $"{name}_check";
        server.ApplicationBuilder.Services.AddHealthChecks().AddNpgSql(
            _ => connectionString ?? throw new InvalidOperationException("The server has not started yet."),
            name: healthCheckKey);

        return server.ApplicationBuilder.AddResource(database)
            .WithIconName("Database")
            .WithHealthCheck(healthCheckKey);
    }

    private static async Task PublishDatabaseStateAsync(LocalPostgresServerResource server, IServiceProvider services, string state)
    {
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        foreach (var database in server.Databases)
        {
            await notifications.PublishUpdateAsync(database, snapshot => snapshot with { State = state });
        }
    }

    private static async Task CreateDatabasesAsync(LocalPostgresServerResource server, string adminConnectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
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
