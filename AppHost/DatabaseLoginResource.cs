using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>
/// A service's own login to a database: a role of its own and that role's password, handed out as a connection string
/// (<c>Host=…;Port=…;Database=…;Username=…;Password=…</c>) that never names the admin. The migration worker creates the
/// role, grants it what it may do, and sets the password (see README, "Least privilege").
/// </summary>
/// <param name="name">The resource's name, e.g. <c>appdb-web</c>.</param>
/// <param name="database">The database the login is for: a server's database, whose endpoint the connection string uses.</param>
/// <param name="server">The server's endpoint.</param>
/// <param name="databaseName">The database's name on the server.</param>
/// <param name="roleName">The login role, e.g. <c>appdb_web</c>.</param>
/// <param name="password">The role's password: a generated secret parameter.</param>
public sealed class DatabaseLoginResource(string name, IResourceWithConnectionString database, EndpointReference server,
    string databaseName, string roleName, ParameterResource password)
    : Resource(name), IResourceWithConnectionString, IResourceWithParent<IResourceWithConnectionString>
{
    /// <summary>The database the login is for.</summary>
    public IResourceWithConnectionString Parent { get; } = database;

    /// <summary>The login role.</summary>
    public string RoleName { get; } = roleName;

    /// <summary>The role's password.</summary>
    public ParameterResource PasswordParameter { get; } = password;

    /// <inheritdoc />
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={server.Property(EndpointProperty.Host)};Port={server.Property(EndpointProperty.Port)};Database={databaseName};Username={RoleName};Password={PasswordParameter}");
}
