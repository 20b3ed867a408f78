using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using LocalPostgres;

namespace SafeMigrations.Hosting;

/// <summary>
/// The PostgreSQL server of the graph, in the mode <c>Postgres:Mode</c> resolved to (<see cref="Decision"/>): a
/// container, the machine's server binaries, Azure Database for PostgreSQL (published), or none (External: each
/// database is a connection string). Add databases to it with <see cref="AddDatabase"/>.
/// </summary>
public sealed class PostgresServer
{
    private readonly Func<string, string, IResource> _addDatabase;

    internal PostgresServer(IDistributedApplicationBuilder applicationBuilder, PostgresModeDecision decision, IResourceWithConnectionString? resource,
        PostgresLogin? login, Func<string, string, IResource> addDatabase)
    {
        ApplicationBuilder = applicationBuilder;
        Decision = decision;
        Resource = resource;
        Login = login;
        _addDatabase = addDatabase;
    }

    /// <summary>The AppHost's builder.</summary>
    public IDistributedApplicationBuilder ApplicationBuilder { get; }

    /// <summary>What <c>Postgres:Mode</c> resolved to, and why.</summary>
    public PostgresModeDecision Decision { get; }

    /// <summary>
    /// The server resource: <see cref="PostgresServerResource"/> (Container), <see cref="LocalPostgresServerResource"/>
    /// (Local), <see cref="FlexibleServerResource"/> (Azure); null in External mode.
    /// </summary>
    public IResourceWithConnectionString? Resource { get; }

    internal PostgresLogin? Login { get; }

    /// <summary>
    /// Adds the database <paramref name="name"/> (<paramref name="databaseName"/> on the server, by default the same),
    /// with a <see cref="PostgresDatabaseAnnotation"/> recording the mode and how to log in to its server. In External
    /// mode it is the connection string <c>ConnectionStrings:{name}</c> (a secret parameter when published).
    /// </summary>
    /// <param name="name">The resource name, also the connection string name services read.</param>
    /// <param name="databaseName">The database's name on the server; by default <paramref name="name"/>.</param>
    public IResourceBuilder<IResourceWithConnectionString> AddDatabase([ResourceName] string name, string? databaseName = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (databaseName is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(databaseName);
        }

        if (Resource is null)
        {
            return ApplicationBuilder.AddConnectionString(name)
                .WithAnnotation(new PostgresDatabaseAnnotation(Decision, databaseName: null, login: null, maintenanceConnectionString: null));
        }

        databaseName ??= name;
        // The admin's own credentials on the maintenance database, not the database's connection string: a database
        // cannot be dropped while connected to it. Only for a server this AppHost runs.
        var maintenance = Decision.Mode is PostgresMode.Container or PostgresMode.Local
            ? PostgresConnectionString.Extending(Resource).With(PostgresConnectionString.Database, "postgres").Build()
            : null;
        var database = (IResourceWithConnectionString)_addDatabase(name, databaseName);
        return ApplicationBuilder.CreateResourceBuilder(database)
            .WithAnnotation(new PostgresDatabaseAnnotation(Decision, databaseName, Login, maintenance));
    }
}
