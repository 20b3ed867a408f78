using Aspire.Hosting.ApplicationModel;

namespace SafeMigrations.Hosting;

/// <summary>
/// Azure Database for PostgreSQL – Flexible Server as the deployment provisions it: a Bicep module azd deploys at
/// <c>azd provision</c>, before any service. It exists in the deployment manifest only (publish mode); its host name is
/// the module's <c>hostName</c> output.
/// </summary>
public sealed class FlexibleServerResource : Resource, IResourceWithConnectionString
{
    /// <summary>
    /// Every login to the server verifies its certificate in full: the chain up to a root of the client's OS trust store
    /// (the .NET images' ca-certificates hold the roots Azure uses) and the host name. <c>Require</c> would accept any
    /// certificate.
    /// </summary>
    public const string VerifiedTls = "VerifyFull";

    /// <summary>
    /// Connections per process for the logins of services, within the server's connection budget: Npgsql's default of
    /// 100 alone is more than the smallest server admits (35).
    /// </summary>
    public const int LoginPoolSize = 5;

    internal FlexibleServerResource(string name, ParameterResource administratorLogin, ParameterResource administratorPassword) : base(name)
    {
        AdministratorLogin = administratorLogin;
        AdministratorPassword = administratorPassword;
    }

    /// <summary>The admin's user name: a generated parameter, fixed once the server exists.</summary>
    public ParameterResource AdministratorLogin { get; }

    /// <summary>The admin's password: a generated secret parameter.</summary>
    public ParameterResource AdministratorPassword { get; }

    /// <summary>The server's fully qualified domain name, an output of the module.</summary>
    public BicepModuleOutput HostName => new(this, "hostName");

    /// <summary>The admin's connection string, without a database.</summary>
    public ReferenceExpression ConnectionStringExpression => PostgresConnectionString.Create()
        .With(PostgresConnectionString.Host, HostName)
        .With(PostgresConnectionString.Port, "5432")
        .With(PostgresConnectionString.Username, AdministratorLogin)
        .With(PostgresConnectionString.Password, AdministratorPassword)
        .With(PostgresConnectionString.SslMode, VerifiedTls)
        .Build();

    /// <summary>How another role logs in: the same host and TLS, and a bounded pool.</summary>
    internal PostgresLogin Login => PostgresLogin.At(HostName, 5432,
        [new(PostgresConnectionString.SslMode, VerifiedTls), new(PostgresConnectionString.MaximumPoolSize, LoginPoolSize.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
}
