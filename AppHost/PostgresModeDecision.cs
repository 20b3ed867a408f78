using LocalPostgres;

namespace AppHost;

/// <summary>
/// What <c>Postgres:Mode</c> resolved to, and why. Recorded on the database resource, so that whoever reads the model
/// (the startup log, the tests) takes this answer instead of deciding again.
/// </summary>
/// <param name="Mode">Container, Local or External; never Auto.</param>
/// <param name="Reason">One sentence for the log.</param>
/// <param name="Installation">The binaries to run, in Local mode.</param>
/// <param name="NothingAvailable">Auto found neither an engine nor binaries: Postgres cannot start until one is installed.</param>
internal sealed record PostgresModeDecision(
    PostgresMode Mode, string Reason, LocalPostgresInstallation? Installation = null, bool NothingAvailable = false) : IResourceAnnotation;
