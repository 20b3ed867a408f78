using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.LocalPostgres;

namespace Aspire.Hosting;

/// <summary>Logins of their own for the services of the graph, so that none of them but the migration worker holds the admin's.</summary>
public static class DatabaseLoginBuilderExtensions
{
    /// <summary>
    /// Adds <paramref name="name"/>: the web app's login to <paramref name="database"/>, as the role
    /// <c>&lt;database&gt;_web</c> with the generated secret password <c>{name}-password</c> (kept in the AppHost's user
    /// secrets in run mode, a secret parameter when published). In External mode, where the server is not the
    /// AppHost's to know, it is the connection string <c>ConnectionStrings:{name}</c>, given like <c>appdb</c>'s.
    /// </summary>
    /// <remarks>
    /// Reference it from the migration worker too: the worker creates the role it names and sets its password.
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

        var password = ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-password");
        var login = new DatabaseLoginResource(name, database.Resource, server, databaseName, $"{databaseName}_web", password);
        return builder.CreateResourceBuilder<IResourceWithConnectionString>(builder.AddResource(login).Resource);
    }
}
