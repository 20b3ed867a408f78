using LocalPostgres;

namespace SafeMigrations.Hosting;

/// <summary>Resolves <c>Postgres:Mode</c>. Pure: the probes are passed in, and only asked when the answer depends on them.</summary>
internal static class PostgresModeSelector
{
    public const string ConfigurationKey = "Postgres:Mode";

    /// <summary>The opt-in that publishing the PostgreSQL container needs.</summary>
    public const string EphemeralCloudDatabaseKey = "Postgres:EphemeralCloudDatabase";

    /// <param name="configured">The value of <c>Postgres:Mode</c> (null or empty: Auto).</param>
    /// <param name="isRunMode">False when publishing a manifest: see <see cref="DecideForPublishing"/>.</param>
    /// <param name="containerEngineProblem">Null when the container engine answers, else why not.</param>
    /// <param name="findLocalInstallation">The local server binaries, or null.</param>
    /// <param name="ephemeralCloudDatabase">The value of <c>Postgres:EphemeralCloudDatabase</c>.</param>
    public static PostgresModeDecision Decide(string? configured, bool isRunMode,
        Func<string?> containerEngineProblem, Func<LocalPostgresInstallation?> findLocalInstallation, bool ephemeralCloudDatabase = false)
    {
        var mode = Parse(configured);
        if (mode == PostgresMode.External)
        {
            return new(PostgresMode.External, $"{ConfigurationKey}=External: an existing server, through each database's connection string");
        }

        if (!isRunMode)
        {
            return DecideForPublishing(mode, ephemeralCloudDatabase);
        }

        switch (mode)
        {
            case PostgresMode.Azure:
                throw new SafeMigrationsSettingException(
                    $"{ConfigurationKey}=Azure is provisioned by azd when publishing; to run against an Azure server, use External with its connection strings.");
            case PostgresMode.Container:
                return new(PostgresMode.Container, $"{ConfigurationKey}=Container");
            case PostgresMode.Local:
                return findLocalInstallation() is { } chosen
                    ? new(PostgresMode.Local, $"{ConfigurationKey}=Local; {Describe(chosen)}", chosen)
                    : throw new SafeMigrationsSettingException(
                        $"{ConfigurationKey}=Local, but no PostgreSQL server binaries were found (PATH, 'pg_config --bindir', " +
                        "the distribution's versioned folders). Install the PostgreSQL server package.");
        }

        if (containerEngineProblem() is not { } problem)
        {
            return new(PostgresMode.Container, "a container engine answers");
        }

        return findLocalInstallation() is { } installation
            ? new(PostgresMode.Local, $"no container engine ({problem}); {Describe(installation)}", installation)
            : new(PostgresMode.Container,
                $"no container engine ({problem}) and no PostgreSQL server binaries were found. Install and start " +
                "Docker (or Podman), or install the PostgreSQL server package (e.g. postgresql on Debian/Ubuntu), then run again",
                NothingAvailable: true);
    }

    /// <summary>
    /// A deployment gets a durable, managed database unless told otherwise: Auto means Azure Database for PostgreSQL.
    /// Local binaries cannot be deployed, and a PostgreSQL container deployed without a volume loses its data on every
    /// restart, so it needs the explicit opt-in.
    /// </summary>
    private static PostgresModeDecision DecideForPublishing(PostgresMode mode, bool ephemeralCloudDatabase) => mode switch
    {
        PostgresMode.Local => throw new SafeMigrationsSettingException(
            $"{ConfigurationKey}=Local runs binaries of this machine and cannot be deployed; publish with Azure (the default) or External."),
        PostgresMode.Container when !ephemeralCloudDatabase => throw new SafeMigrationsSettingException(
            $"{ConfigurationKey}=Container deploys PostgreSQL as a container without durable storage, so its data is lost on every " +
            $"restart or new revision: publish the default (Azure Database for PostgreSQL), or set {EphemeralCloudDatabaseKey}=true for a throwaway demo."),
        PostgresMode.Container => new(PostgresMode.Container,
            $"publishing with {EphemeralCloudDatabaseKey}=true: a throwaway PostgreSQL container without durable storage"),
        _ => new(PostgresMode.Azure, "publishing: Azure Database for PostgreSQL – Flexible Server, provisioned by azd"),
    };

    private static PostgresMode Parse(string? configured)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            return PostgresMode.Auto;
        }

        // By name only: Enum.TryParse would also take numbers ("3").
        return Enum.GetValues<PostgresMode>().Where(m => m.ToString().Equals(configured.Trim(), StringComparison.OrdinalIgnoreCase))
                .Select(m => (PostgresMode?)m).SingleOrDefault()
            ?? throw new SafeMigrationsSettingException(
                $"{ConfigurationKey} must be one of {string.Join(", ", Enum.GetNames<PostgresMode>())}; got '{configured}'.");
    }

    private static string Describe(LocalPostgresInstallation installation) =>
        $"running the PostgreSQL {installation.MajorVersion} server binaries in {installation.BinDirectory}";
}
