using Aspire.Hosting.ApplicationModel;

namespace LocalPostgres;

/// <summary>
/// A PostgreSQL server run from binaries installed on this machine, as an Aspire executable. It hands out the same
/// connection-string shape as Aspire's container (<c>Host=…;Port=…;Username=postgres;Password=…</c>).
/// </summary>
public sealed class LocalPostgresServerResource : ExecutableResource, IResourceWithConnectionString
{
    /// <summary>The superuser <c>initdb</c> creates, as in the official image.</summary>
    public const string UserName = "postgres";

    internal const string EndpointName = "tcp";

    internal LocalPostgresServerResource(string name, string command, LocalPostgresInstallation installation, ParameterResource password)
        : base(name, command, workingDirectory: installation.BinDirectory)
    {
        Installation = installation;
        PasswordParameter = password;
    }

    /// <summary>The binaries the server runs from.</summary>
    public LocalPostgresInstallation Installation { get; }

    /// <summary>The superuser's password; <c>initdb</c> sets it when the data directory is created.</summary>
    public ParameterResource PasswordParameter { get; }

    /// <summary>
    /// The cluster's data directory, initialised on first start: a throwaway one unless
    /// <see cref="LocalPostgresBuilderExtensions.WithDataDirectory"/> named one to keep.
    /// </summary>
    public string DataDirectory { get; internal set; } = LocalPostgresDataDirectory.Throwaway();

    /// <summary>False while <see cref="DataDirectory"/> is a throwaway one, removed when the AppHost stops.</summary>
    public bool KeepsData { get; internal set; }

    /// <summary>The TCP endpoint; its port is allocated by Aspire.</summary>
    public EndpointReference PrimaryEndpoint => new(this, EndpointName);

    /// <summary>The server's connection string, without a database.</summary>
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={PrimaryEndpoint.Property(EndpointProperty.Host)};Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username={UserName};Password={PasswordParameter}");

    /// <summary>Databases to create once the server accepts connections.</summary>
    internal List<LocalPostgresDatabaseResource> Databases { get; } = [];
}
