using LocalPostgres;

namespace AppHost;

/// <summary>Resolves <c>Postgres:Mode</c>. Pure: the probes are passed in, and only asked when the answer depends on them.</summary>
internal static class PostgresModeSelector
{
    public const string ConfigurationKey = "Postgres:Mode";

    /// <param name="configured">The value of <c>Postgres:Mode</c> (null or empty: Auto).</param>
    /// <param name="isRunMode">False when publishing a manifest: deployments run the container, never local binaries.</param>
    /// <param name="containerEngineProblem">Null when the container engine answers, else why not.</param>
    /// <param name="findLocalInstallation">The local server binaries, or null.</param>
    public static PostgresModeDecision Decide(string? configured, bool isRunMode,
        Func<string?> containerEngineProblem, Func<LocalPostgresInstallation?> findLocalInstallation)
    {
        var mode = Parse(configured);
        if (mode == PostgresMode.External)
        {
            return new(PostgresMode.External, $"{ConfigurationKey}=External: an existing server, through the appdb connection string");
        }

        if (!isRunMode)
        {
            return mode == PostgresMode.Local
                ? throw new DistributedApplicationException(
                    $"{ConfigurationKey}=Local runs binaries of this machine and cannot be deployed; publish with Container or External.")
                : new(PostgresMode.Container, "publishing: the deployment runs the PostgreSQL container");
        }

        switch (mode)
        {
            case PostgresMode.Container:
                return new(PostgresMode.Container, $"{ConfigurationKey}=Container");
            case PostgresMode.Local:
                return findLocalInstallation() is { } chosen
                    ? new(PostgresMode.Local, $"{ConfigurationKey}=Local; {Describe(chosen)}", chosen)
                    : throw new DistributedApplicationException(
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

    private static PostgresMode Parse(string? configured)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            return PostgresMode.Auto;
        }

        // By name only: Enum.TryParse would also take numbers ("3").
        return Enum.GetValues<PostgresMode>().Where(m => m.ToString().Equals(configured.Trim(), StringComparison.OrdinalIgnoreCase))
                .Select(m => (PostgresMode?)m).SingleOrDefault()
            ?? throw new DistributedApplicationException(
                $"{ConfigurationKey} must be one of {string.Join(", ", Enum.GetNames<PostgresMode>())}; got '{configured}'.");
    }

    private static string Describe(LocalPostgresInstallation installation) =>
        $"running the PostgreSQL {installation.MajorVersion} server binaries in {installation.BinDirectory}";
}
