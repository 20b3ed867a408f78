namespace SafeMigrations.Worker;

/// <summary>The worker's exit codes: the contract with the AppHost, CI steps and cloud jobs. Documented in docs/worker.md.</summary>
public static class ExitCodes
{
    /// <summary>Every context is at the requested migration (or nothing was to do), and the seed ran.</summary>
    public const int Success = 0;

    /// <summary>
    /// A migration or the seed failed, a lock wait outlasted its budget, or the migration lock was lost mid-run; the failed migration was rolled back whole
    /// (an online migration keeps the steps and batches it committed, and the next run completes it).
    /// </summary>
    public const int MigrationFailed = 1;

    /// <summary>
    /// Invalid arguments or configuration, an unknown target migration, a migration down that would destroy data
    /// refused without <c>--allow-data-loss</c> (<see cref="DataLossRefusedException"/>), or an admin login that lacks a privilege the
    /// role setup needs (<see cref="RoleSetupException"/>).
    /// </summary>
    public const int InvalidArguments = 2;

    /// <summary>
    /// The database could not be reached within the connect deadline, or refused the connection: credentials, a client the
    /// server's firewall does not admit, a TLS certificate that does not verify, no TLS where it is required.
    /// </summary>
    public const int DatabaseUnreachable = 3;

    /// <summary>
    /// The history check refused to migrate (<see cref="HistoryCheckException"/>): an applied migration changed since it
    /// was applied (fix, or accept with <c>--repair</c>), or a pending one sorts before the latest applied (allow with
    /// <c>Migrations:AllowOutOfOrder</c>). Nothing was migrated.
    /// </summary>
    public const int HistoryCheckFailed = 4;
}
