namespace AppHost;

/// <summary>
/// A database on a <see cref="FlexibleServerResource"/>. The Bicep module does not create it: the migration worker does,
/// as the admin, so the admin owns it as the worker's role setup expects (see docs/least-privilege.md).
/// </summary>
internal sealed class FlexibleServerDatabaseResource(string name, string databaseName, FlexibleServerResource parent)
    : Resource(name), IResourceWithConnectionString, IResourceWithParent<FlexibleServerResource>
{
    /// <summary>The database's name on the server.</summary>
    public string DatabaseName { get; } = databaseName;

    /// <inheritdoc />
    public FlexibleServerResource Parent { get; } = parent;

    /// <summary>The admin's connection string to this database.</summary>
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{Parent};Database={DatabaseName}");
}
