namespace AppHost;

/// <summary>
/// Azure Database for PostgreSQL – Flexible Server as the deployment provisions it: the Bicep module
/// <c>infra/postgres-flexible-server.bicep</c>, which azd deploys at <c>azd provision</c>, before any service. It exists
/// in the deployment manifest only (publish mode); its host name is the module's <c>hostName</c> output.
/// </summary>
/// <param name="name">The resource name (<c>postgres</c>).</param>
/// <param name="administratorLogin">The admin's user name: a generated parameter, fixed once the server exists.</param>
/// <param name="administratorPassword">The admin's password: a generated secret parameter.</param>
internal sealed class FlexibleServerResource(string name, ParameterResource administratorLogin, ParameterResource administratorPassword)
    : Resource(name), IResourceWithConnectionString
{
    /// <summary>
    /// Every login to the server verifies its certificate in full: the chain up to a root of the client's OS trust store
    /// (the .NET images' ca-certificates hold the roots Azure uses) and the host name. <c>Require</c> would accept any
    /// certificate.
    /// </summary>
    public const string VerifiedTls = "SSL Mode=VerifyFull";

    /// <summary>The admin's user name.</summary>
    public ParameterResource AdministratorLogin { get; } = administratorLogin;

    /// <summary>The admin's password.</summary>
    public ParameterResource AdministratorPassword { get; } = administratorPassword;

    /// <summary>The server's fully qualified domain name, an output of the module.</summary>
    public BicepModuleOutput HostName => new(this, "hostName");

    /// <summary>The admin's connection string, without a database.</summary>
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={HostName};Port=5432;Username={AdministratorLogin};Password={AdministratorPassword};{VerifiedTls}");

    /// <summary>
    /// A connection string to <paramref name="databaseName"/> as another login of this server, with the same TLS and a
    /// pool of at most <paramref name="maximumPoolSize"/> connections per process.
    /// </summary>
    public ReferenceExpression LoginTo(string databaseName, string role, ParameterResource password, int maximumPoolSize)
    {
        var poolSize = maximumPoolSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ReferenceExpression.Create(
            $"Host={HostName};Port=5432;Database={databaseName};Username={role};Password={password};{VerifiedTls};Maximum Pool Size={poolSize}");
    }
}
