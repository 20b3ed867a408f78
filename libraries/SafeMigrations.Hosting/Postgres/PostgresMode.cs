namespace SafeMigrations.Hosting;

/// <summary>Where the PostgreSQL server comes from: the <c>Postgres:Mode</c> configuration key.</summary>
public enum PostgresMode
{
    /// <summary>
    /// Run mode: a container engine if one answers, else local server binaries if found, else <see cref="Container"/>.
    /// Publishing: <see cref="Azure"/>.
    /// </summary>
    Auto,

    /// <summary>
    /// The official image, run by the container engine. Published, it has no durable storage: only with
    /// <c>Postgres:EphemeralCloudDatabase=true</c>.
    /// </summary>
    Container,

    /// <summary>The PostgreSQL server binaries installed on this machine, run as Aspire executables.</summary>
    Local,

    /// <summary>
    /// Azure Database for PostgreSQL – Flexible Server, provisioned by azd from a Bicep module written next to the
    /// manifest: what publishing deploys unless told otherwise. Publish mode only.
    /// </summary>
    Azure,

    /// <summary>
    /// An existing server, reached through each database's connection string (<c>ConnectionStrings:&lt;database&gt;</c>
    /// in run mode, a secret parameter in the deployment manifest): Azure Database for PostgreSQL in production, any
    /// server locally.
    /// </summary>
    External,
}
