using Aspire.Hosting.ApplicationModel;

namespace LocalPostgres;

/// <summary>A database on a <see cref="LocalPostgresServerResource"/>, created when the server first accepts connections.</summary>
public sealed class LocalPostgresDatabaseResource : Resource, IResourceWithParent<LocalPostgresServerResource>, IResourceWithConnectionString
{
    internal LocalPostgresDatabaseResource(string name, string databaseName, LocalPostgresServerResource parent) : base(name)
    {
        DatabaseName = databaseName;
        Parent = parent;
    }

    /// <summary>The server the database lives on.</summary>
    public LocalPostgresServerResource Parent { get; }

    /// <summary>The database's name on the server.</summary>
    public string DatabaseName { get; }

    /// <summary>The server's connection string with this database.</summary>
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Parent};Database={DatabaseName}");
}
