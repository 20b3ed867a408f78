namespace AppHost;

/// <summary>Where the PostgreSQL server comes from: the <c>Postgres:Mode</c> configuration key.</summary>
internal enum PostgresMode
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
    /// Azure Database for PostgreSQL – Flexible Server, provisioned by azd from <c>infra/postgres-flexible-server.bicep</c>:
    /// what publishing deploys unless told otherwise. Publish mode only.
    /// </summary>
    Azure,

    /// <summary>
    /// An existing server, reached through the <c>appdb</c> connection string (<c>ConnectionStrings:appdb</c> in run mode,
    /// a secret parameter in the deployment manifest): Azure Database for PostgreSQL in production, any server locally.
    /// </summary>
    External,
}
