namespace AppHost;

/// <summary>Where the PostgreSQL server comes from: the <c>Postgres:Mode</c> configuration key.</summary>
internal enum PostgresMode
{
    /// <summary>A container engine if one answers, else local server binaries if found, else <see cref="Container"/>.</summary>
    Auto,

    /// <summary>The official image, run by the container engine.</summary>
    Container,

    /// <summary>The PostgreSQL server binaries installed on this machine, run as Aspire executables.</summary>
    Local,

    /// <summary>
    /// An existing server, reached through the <c>appdb</c> connection string (<c>ConnectionStrings:appdb</c> in run mode,
    /// a secret parameter in the deployment manifest): Azure Database for PostgreSQL in production, any server locally.
    /// </summary>
    External,
}
