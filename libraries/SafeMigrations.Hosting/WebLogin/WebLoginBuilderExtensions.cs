using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace SafeMigrations.Hosting;

/// <summary>Logins of their own for the services of the graph, so that none of them but the migration worker holds the admin's.</summary>
public static class WebLoginBuilderExtensions
{
    /// <summary>
    /// Adds <paramref name="name"/>: the web app's login to <paramref name="database"/>, a connection string that names
    /// the role <c>&lt;database&gt;_web</c> and its own generated secret password, the parameter <c>{name}-password</c>
    /// (kept in the AppHost's user secrets in run mode, a secret parameter when published), never the admin; on the
    /// same server, with the settings every login to it carries (<see cref="PostgresDatabaseAnnotation.LoginAs"/>). In
    /// External mode, where the server is not the AppHost's to know, it is the connection string
    /// <c>ConnectionStrings:{name}</c>, given like the database's.
    /// </summary>
    /// <remarks>
    /// Hand it to the migration worker too (<see cref="MigrationWorkerBuilderExtensions.WithDatabase"/>): the worker
    /// creates the role it names, grants it what a web app may do (rows only) and sets its password.
    /// </remarks>
    /// <param name="database">A database added with <see cref="PostgresServer.AddDatabase"/>.</param>
    /// <param name="name">The login's resource name.</param>
    public static IResourceBuilder<IResourceWithConnectionString> AddWebLogin(this IResourceBuilder<IResourceWithConnectionString> database,
        [ResourceName] string name)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var server = database.Resource.Annotations.OfType<PostgresDatabaseAnnotation>().SingleOrDefault()
            ?? throw new ArgumentException($"'{database.Resource.Name}' is not a database of {nameof(PostgresServerBuilderExtensions.AddPostgresServer)}.", nameof(database));

        var builder = database.ApplicationBuilder;
        if (server.DatabaseName is not { } databaseName)
        {
            return builder.AddConnectionString(name);
        }

        // In the model (unlike the server's password) because the connection string waits for what it references.
        var password = builder.AddResource(ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-password")).Resource;
        var login = server.LoginAs($"{databaseName}_web", password)!;
        return builder.AddConnectionString(name, login).WithParentRelationship(database);
    }
}
