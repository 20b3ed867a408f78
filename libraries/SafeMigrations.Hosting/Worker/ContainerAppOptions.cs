namespace SafeMigrations.Hosting;

/// <summary>
/// How an app that waits for the migrations is deployed (<see cref="MigrationWorkerBuilderExtensions.WaitForMigrations"/>):
/// its probes and the plain settings its container gets. Its connection strings come from its references.
/// </summary>
public sealed class ContainerAppOptions
{
    /// <summary>The readiness probe's path; the app should answer 503 there while a migration is pending.</summary>
    public string ReadinessProbePath { get; set; } = "/health";

    /// <summary>The liveness probe's path: the process answers.</summary>
    public string LivenessProbePath { get; set; } = "/alive";

    /// <summary>
    /// The app's setting (<c>Section__Key</c> form) that bounds its connection pool, when it has one (e.g.
    /// <c>Database__MaxPoolSize</c>): the deployment sets it to the module's <c>databaseMaxPoolSize</c>, the same number the
    /// web logins' connection limit is computed from, so the app and the budget cannot drift apart. Null: the app's pool
    /// is bounded by its connection string alone.
    /// </summary>
    public string? PoolSizeSetting { get; set; }

    /// <summary>
    /// Environment variables of the app's container (configuration keys in <c>Section__Key</c> form) with values that are
    /// no secret: the deployment passes them as module parameters, since azd ignores the manifest's environment there.
    /// </summary>
    public IDictionary<string, string> Environment { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
}
