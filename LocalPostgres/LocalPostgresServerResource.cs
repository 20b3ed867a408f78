using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting.LocalPostgres;

/// <summary>
/// A PostgreSQL server run from binaries installed on this machine, as an Aspire executable. It hands out the same
/// connection-string shape as the container (<c>Host=…;Port=…;Username=postgres;Password=…</c>).
/// </summary>
public sealed class LocalPostgresServerResource(
    string name, string command, LocalPostgresInstallation installation, string dataDirectory, ParameterResource password)
    : ExecutableResource(name, command, workingDirectory: Path.GetDirectoryName(dataDirectory)!), IResourceWithConnectionString
{
    public const string UserName = "postgres";
    internal const string EndpointName = "tcp";

    public LocalPostgresInstallation Installation { get; } = installation;

    /// <summary>The cluster's data directory (initialised on first start).</summary>
    public string DataDirectory { get; } = dataDirectory;

    public ParameterResource PasswordParameter { get; } = password;

    public EndpointReference PrimaryEndpoint => new(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={PrimaryEndpoint.Property(EndpointProperty.Host)};Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username={UserName};Password={PasswordParameter}");

    /// <summary>Databases to create once the server accepts connections.</summary>
    internal List<LocalPostgresDatabaseResource> Databases { get; } = [];
}
