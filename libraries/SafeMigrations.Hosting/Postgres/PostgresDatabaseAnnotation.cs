using Aspire.Hosting.ApplicationModel;

namespace SafeMigrations.Hosting;

/// <summary>
/// Recorded on a database resource by <see cref="PostgresServer.AddDatabase"/>: the mode the server was decided in,
/// and what others need of it without deciding again — the database's name, how to log in to the same server as
/// another role, and the admin's connection to the server's maintenance database.
/// </summary>
public sealed class PostgresDatabaseAnnotation : IResourceAnnotation
{
    private readonly PostgresLogin? _login;

    internal PostgresDatabaseAnnotation(PostgresModeDecision decision, string? databaseName, PostgresLogin? login,
        ReferenceExpression? maintenanceConnectionString)
    {
        Decision = decision;
        DatabaseName = databaseName;
        _login = login;
        MaintenanceConnectionString = maintenanceConnectionString;
    }

    /// <summary>What <c>Postgres:Mode</c> resolved to, and why.</summary>
    public PostgresModeDecision Decision { get; }

    /// <summary>The database's name on its server; null in External mode, where only its connection string knows it.</summary>
    public string? DatabaseName { get; }

    /// <summary>
    /// The admin's connection to the server's maintenance database (<c>postgres</c>), from which a database can be
    /// dropped and created; null unless this AppHost runs the server (Container and Local mode).
    /// </summary>
    public ReferenceExpression? MaintenanceConnectionString { get; }

    /// <summary>
    /// A connection string to this database on the same server as <paramref name="userName"/> with
    /// <paramref name="password"/>, with the settings every login to that server carries (on Azure Database for
    /// PostgreSQL: TLS verified in full, a bounded pool); null in External mode, where the server is not the AppHost's to know.
    /// </summary>
    public ReferenceExpression? LoginAs(string userName, ParameterResource password)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userName);
        ArgumentNullException.ThrowIfNull(password);
        return _login?.As(DatabaseName, userName, password);
    }
}
