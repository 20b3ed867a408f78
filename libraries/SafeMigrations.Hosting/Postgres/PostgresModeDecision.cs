using LocalPostgres;

namespace SafeMigrations.Hosting;

/// <summary>What <c>Postgres:Mode</c> resolved to, and why: decided once, by <see cref="PostgresServerBuilderExtensions.AddPostgresServer"/>.</summary>
/// <param name="Mode">Container, Local, Azure or External; never Auto.</param>
/// <param name="Reason">One sentence for the log.</param>
/// <param name="Installation">The binaries to run, in Local mode.</param>
/// <param name="NothingAvailable">Auto found neither an engine nor binaries: Postgres cannot start until one is installed.</param>
public sealed record PostgresModeDecision(
    PostgresMode Mode, string Reason, LocalPostgresInstallation? Installation = null, bool NothingAvailable = false);
