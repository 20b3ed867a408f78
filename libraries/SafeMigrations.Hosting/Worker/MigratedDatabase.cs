using Aspire.Hosting.ApplicationModel;

namespace SafeMigrations.Hosting;

/// <summary>A database the migration worker migrates, as the admin, and the web login whose role it keeps.</summary>
/// <param name="Database">The database (the admin's connection string): the worker reads it as <c>ConnectionStrings:&lt;name&gt;</c>.</param>
/// <param name="WebLogin">The web app's login to it, if any: the worker creates its role, grants it rows only and sets its password.</param>
/// <param name="MigratorLogin">
/// Published to Azure, the database's migrator login (<c>&lt;database&gt;_migrator</c>, which may act as the owner role and
/// nothing more): what the web app's init container reads as <c>ConnectionStrings:&lt;name&gt;</c> instead of the admin's.
/// </param>
public sealed record MigratedDatabase(IResourceWithConnectionString Database, IResourceWithConnectionString? WebLogin,
    IResourceWithConnectionString? MigratorLogin = null);

/// <summary>Marks a project as the migration worker (<see cref="MigrationWorkerBuilderExtensions.AddMigrationWorker"/>) and lists what it migrates.</summary>
public sealed class MigrationWorkerAnnotation : IResourceAnnotation
{
    private readonly List<MigratedDatabase> _databases = [];

    internal MigrationWorkerAnnotation(MigrationWorkerOptions options) => Options = options;

    /// <summary>The databases, in the order they were added.</summary>
    public IReadOnlyList<MigratedDatabase> Databases => _databases;

    internal MigrationWorkerOptions Options { get; }

    internal void Add(MigratedDatabase database) => _databases.Add(database);
}
