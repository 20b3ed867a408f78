using LocalPostgres;

namespace AppHost;

/// <summary>Logins of their own for the services of the graph, so that none of them but the migration worker holds the admin's.</summary>
internal static class DatabaseLoginBuilderExtensions
{
    /// <summary>
    /// The web app's connections per replica on Azure Database for PostgreSQL, within the server's connection budget
    /// (docs/deploy.md): Npgsql's default of 100 alone is more than the default server admits (35).
    /// </summary>
    public const int AzureWebConnectionPoolSize = 5;

    /// <summary>
    /// Adds <paramref name="name"/>: the web app's login to <paramref name="database"/>, a connection string
    /// (<c>Host=…;Port=…;Database=…;Username=…;Password=…</c>) that names the role <c>&lt;database&gt;_web</c> and its own
    /// generated secret password, the parameter <c>{name}-password</c> (kept in the AppHost's user secrets in run mode,
    /// a secret parameter when published), never the admin; on Azure Database for PostgreSQL, with the admin's TLS
    /// settings. In External mode, where the server is not the AppHost's to know, it is the connection string
    /// <c>ConnectionStrings:{name}</c>, given like <c>appdb</c>'s.
    /// </summary>
    /// <remarks>
    /// Reference it from the migration worker too: the worker creates the role it names, grants it what the web app may
    /// do, and sets its password (see docs/least-privilege.md).
    /// </remarks>
    public static IResourceBuilder<IResourceWithConnectionString> AddWebLogin(this IDistributedApplicationBuilder builder,
        string name, IResourceBuilder<IResourceWithConnectionString> database)
    {
        var databaseName = database.Resource switch
        {
            PostgresDatabaseResource container => container.DatabaseName,
            LocalPostgresDatabaseResource local => local.DatabaseName,
            FlexibleServerDatabaseResource azure => azure.DatabaseName,
            _ => null,
        };
        if (databaseName is null)
        {
            return builder.AddConnectionString(name);
        }

        // In the model (unlike the server's password) because the connection string waits for what it references.
        var password = builder.AddResource(ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-password")).Resource;
        var role = $"{databaseName}_web";
        var login = database.Resource switch
        {
            PostgresDatabaseResource container => LoginTo(container.Parent.PrimaryEndpoint, databaseName, role, password),
            LocalPostgresDatabaseResource local => LoginTo(local.Parent.PrimaryEndpoint, databaseName, role, password),
            // Published only: the server's host name output, TLS verified in full as the admin's, and a bounded pool.
            FlexibleServerDatabaseResource azure => azure.Parent.LoginTo(databaseName, role, password, AzureWebConnectionPoolSize),
            _ => throw new System.Diagnostics.UnreachableException(),
        };
        return builder.AddConnectionString(name, login).WithParentRelationship(database);
    }

    private static ReferenceExpression LoginTo(EndpointReference server, string databaseName, string role, ParameterResource password) =>
        ReferenceExpression.Create(
            $"Host={server.Property(EndpointProperty.Host)};Port={server.Property(EndpointProperty.Port)};Database={databaseName};Username={role};Password={password}");
}
