using Aspire.Hosting.ApplicationModel;

namespace SafeMigrations.Hosting;

/// <summary>
/// A database on a <see cref="FlexibleServerResource"/>. The Bicep module does not create it: the deployment's bootstrap
/// does (the postprovision hook runs it as the admin), or else the migration worker with the admin's login, so the admin
/// owns it as the role setup expects.
/// </summary>
public sealed class FlexibleServerDatabaseResource : Resource, IResourceWithConnectionString, IResourceWithParent<FlexibleServerResource>
{
    internal FlexibleServerDatabaseResource(string name, string databaseName, FlexibleServerResource parent) : base(name)
    {
        DatabaseName = databaseName;
        Parent = parent;
    }

    /// <summary>The database's name on the server.</summary>
    public string DatabaseName { get; }

    /// <inheritdoc />
    public FlexibleServerResource Parent { get; }

    /// <summary>The admin's connection string to this database.</summary>
    public ReferenceExpression ConnectionStringExpression =>
        PostgresConnectionString.Extending(Parent).With(PostgresConnectionString.Database, DatabaseName).Build();
}
