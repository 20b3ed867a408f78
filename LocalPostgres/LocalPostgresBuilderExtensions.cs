using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace LocalPostgres;

/// <summary>
/// Runs PostgreSQL from the server binaries installed on this machine, for machines without a container engine.
/// Written here because Aspire has no such integration; it mirrors what <c>AddPostgres</c> does for the container:
/// a password parameter, a health check that passes once the server accepts connections, databases created when it is
/// ready, and data that is thrown away unless kept with <see cref="WithDataDirectory"/>.
/// </summary>
public static class LocalPostgresBuilderExtensions
{
    /// <summary>
    /// Adds a server run from <paramref name="installation"/>, listening on localhost only, on a port Aspire allocates.
    /// Its data directory is initialised on first start; until <see cref="WithDataDirectory"/> says otherwise it is a
    /// temporary one, removed when the AppHost stops.
    /// </summary>
    /// <param name="builder">The AppHost's builder.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="installation">The binaries to run (<see cref="LocalPostgresInstallation.Find"/>).</param>
    /// <param name="password">The superuser's password; by default a generated secret parameter <c>{name}-password</c>.</param>
    public static IResourceBuilder<LocalPostgresServerResource> AddLocalPostgres(this IDistributedApplicationBuilder builder,
        string name, LocalPostgresInstallation installation, IResourceBuilder<ParameterResource>? password = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(installation);

        var passwordParameter = password?.Resource
            ?? ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-password");
        var account = LocalPostgresAccount.ForCurrentProcess();
        var server = new LocalPostgresServerResource(name, account.Command(installation.Postgres), installation, passwordParameter);
        var healthCheckKey = LocalPostgresLifecycle.Subscribe(builder, server, account);

        return builder.AddResource(server)
            .WithArgs(context =>
            {
                foreach (var argument in account.Arguments(installation.Postgres,
                    "-D", server.DataDirectory,
                    // TCP on loopback only; no Unix socket, whose default folder may not be writable here.
                    "-c", "listen_addresses=localhost",
                    "-c", "unix_socket_directories="))
                {
                    context.Args.Add(argument);
                }
            })
            // DCP picks the port and hands it over in PGPORT, which postgres reads as its default port.
            .WithEndpoint(name: LocalPostgresServerResource.EndpointName, scheme: "tcp", env: "PGPORT")
            .WithIconName("DatabaseMultiple")
            .WithHealthCheck(healthCheckKey);
    }

    /// <summary>
    /// Keeps the server's data in <paramref name="path"/> across runs instead of a throwaway directory: initialised with
    /// the current password when it is empty, used as it is otherwise (a data directory works only with its major version;
    /// <see cref="LocalPostgresDataDirectory.PerUser"/> gives one per user and major).
    /// </summary>
    /// <param name="builder">The server.</param>
    /// <param name="path">An absolute path; the folder is created when missing.</param>
    public static IResourceBuilder<LocalPostgresServerResource> WithDataDirectory(this IResourceBuilder<LocalPostgresServerResource> builder,
        string path)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!Path.IsPathFullyQualified(path))
        {
            throw new ArgumentException($"The data directory must be an absolute path; got '{path}'.", nameof(path));
        }

        builder.Resource.DataDirectory = path;
        builder.Resource.KeepsData = true;
        return builder;
    }

    /// <summary>Adds a database, created on the server when it first accepts connections.</summary>
    /// <param name="builder">The server.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="databaseName">The database's name on the server; by default <paramref name="name"/>.</param>
    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(this IResourceBuilder<LocalPostgresServerResource> builder,
        string name, string? databaseName = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (databaseName is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(databaseName);
        }

        var database = new LocalPostgresDatabaseResource(name, databaseName ?? name, builder.Resource);
        builder.Resource.Databases.Add(database);
        var healthCheckKey = LocalPostgresLifecycle.AddHealthCheck(builder.ApplicationBuilder, builder.Resource, database);

        return builder.ApplicationBuilder.AddResource(database)
            .WithIconName("Database")
            .WithHealthCheck(healthCheckKey);
    }
}
