using Aspire.Hosting.ApplicationModel;

namespace SafeMigrations.Hosting;

/// <summary>
/// How a login reaches one server: its host and port (values known when the app runs or is deployed) and the settings
/// every login to it carries (TLS, a pool bound). The mode decides it once; logins of other roles are made from it.
/// </summary>
internal sealed class PostgresLogin
{
    private readonly Action<PostgresConnectionString> _hostAndPort;
    private readonly IReadOnlyList<KeyValuePair<string, string>> _settings;

    private PostgresLogin(Action<PostgresConnectionString> hostAndPort, IReadOnlyList<KeyValuePair<string, string>> settings)
    {
        _hostAndPort = hostAndPort;
        _settings = settings;
    }

    /// <summary>A server whose endpoint Aspire allocates (a container, local binaries).</summary>
    public static PostgresLogin At(EndpointReference endpoint) => new(connectionString => connectionString
        .With(PostgresConnectionString.Host, endpoint.Property(EndpointProperty.Host))
        .With(PostgresConnectionString.Port, endpoint.Property(EndpointProperty.Port)), []);

    /// <summary>A server known by a host name a deployment provides, on a fixed port, with <paramref name="settings"/> on every login.</summary>
    public static PostgresLogin At<T>(T host, int port, IReadOnlyList<KeyValuePair<string, string>> settings)
        where T : IValueProvider, IManifestExpressionProvider => new(connectionString => connectionString
        .With(PostgresConnectionString.Host, host)
        .With(PostgresConnectionString.Port, port.ToString(System.Globalization.CultureInfo.InvariantCulture)), settings);

    /// <summary>
    /// <c>Host=…;Port=…[;Database=…];Username=…;Password=…</c> and the server's settings: a login of
    /// <paramref name="userName"/> with <paramref name="password"/>.
    /// </summary>
    public ReferenceExpression As(string? databaseName, string userName, ParameterResource password)
    {
        var connectionString = PostgresConnectionString.Create();
        _hostAndPort(connectionString);
        if (databaseName is not null)
        {
            connectionString.With(PostgresConnectionString.Database, databaseName);
        }

        return connectionString
            .With(PostgresConnectionString.Username, userName)
            .With(PostgresConnectionString.Password, password)
            .With(_settings)
            .Build();
    }
}
