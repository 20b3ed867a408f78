using LocalPostgres;

namespace AppHost;

/// <summary>Logins of their own for the services of the graph, so that none of them but the migration worker holds the admin's.</summary>
internal static class DatabaseLoginBuilderExtensions
{
    /// <summary>
    /// Adds <paramref name="name"/>: the web app's login to <paramref name="database"/>, a connection string
    /// (<c>Host=…;Port=…;Database=…;Username=…;Password=…</c>) that names the role <c>&lt;database&gt;_web</c> and its own
    /// generated secret password, the parameter <c>{name}-password</c> (kept in the AppHost's user secrets in run mode,
    /// a secret parameter when published), never the admin. In External mode, where the server is not the AppHost's to
    /// know, it is the connection string <c>ConnectionStrings:{name}</c>, given like <c>appdb</c>'s.
    /// </summary>
    /// <remarks>
    /// Reference it from the migration worker too: the worker creates the role it names, grants it what the web app may
    /// do, and sets its password (see docs/least-privilege.md).
    /// </remarks>
    public static IResourceBuilder<IResourceWithConnectionString> AddWebLogin(this IDistributedApplicationBuilder builder,
        string name, IResourceBuilder<IResourceWithConnectionString> database)
    {
        var (server, databaseName) = database.Resource switch
        {
            PostgresDatabaseResource container => (container.Parent.PrimaryEndpoint, container.DatabaseName),
            LocalPostgresDatabaseResource local => (local.Parent.PrimaryEndpoint, local.DatabaseName),
            _ => (null, null),
        };
        if (server is null || databaseName is null)
        {
            return builder.AddConnectionString(name);
        }

        // In the model (unlike the server's password) because the connection string waits for what it references.
        var password = builder.AddResource(ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-password"));
        var role = $"{databaseName}_web";
        return builder.AddConnectionString(name, ReferenceExpression.Create(
                $"Host={server.Property(EndpointProperty.Host)};Port={server.Property(EndpointProperty.Port)};Database={databaseName};Username={role};Password={password.Resource}"))
            .WithParentRelationship(database);
    }
}
