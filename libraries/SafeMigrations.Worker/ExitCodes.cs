namespace SafeMigrations.Worker;

/// <summary>
/// The worker's exit codes: the contract with the AppHost, CI steps and cloud jobs. The numbers never change; several
/// names share 2, the refusals before anything changed.
/// </summary>
public static class ExitCodes
{
    /// <summary>0: every context is at the requested migration (or nothing was to do), and a new database was seeded.</summary>
    public const int Success = 0;

    /// <summary>
    /// 1: a migration or the seed failed, a lock wait outlasted its budget, or the migration lock was lost mid-run; the
    /// failed migration was rolled back whole (an online migration keeps the steps and batches it committed, and the next
    /// run completes it), earlier ones and earlier contexts stay migrated.
    /// </summary>
    public const int MigrationFailed = 1;

    /// <summary>
    /// 2: invalid arguments or configuration — a missing or malformed connection string, an unknown or ambiguous target,
    /// an unknown context, a value out of range, a web role that cannot be used (the admin itself, or one with a power it
    /// must not have). Nothing was changed.
    /// </summary>
    public const int InvalidArguments = 2;

    /// <summary>2: a migration down would destroy data and <c>--allow-data-loss</c> was not given. Nothing was changed.</summary>
    public const int DataLossRefused = 2;

    /// <summary>2: the admin login lacks a privilege the role setup needs (<c>CREATEROLE</c>, say). Nothing was migrated.</summary>
    public const int PrivilegeMissing = 2;

    /// <summary>
    /// 3: the database could not be reached within <c>Migrations:ConnectTimeout</c>, or refused the connection:
    /// credentials, a client the server's firewall does not admit, a TLS certificate that does not verify, no TLS where
    /// it is required.
    /// </summary>
    public const int DatabaseUnreachable = 3;

    /// <summary>
    /// 4: the history check refused to migrate: an applied migration changed since it was applied (fix it, or accept it
    /// with <c>--repair</c>), or a pending one sorts before the latest applied (allow with
    /// <c>Migrations:AllowOutOfOrder</c>). Nothing was migrated.
    /// </summary>
    public const int HistoryCheckFailed = 4;

    /// <summary>
    /// 5: <c>--drift</c> found the live schema different from what the applied migrations build (or the roles' grants
    /// different from what the worker sets up); each difference is one line on stdout. Nothing was changed.
    /// </summary>
    public const int DriftFound = 5;
}
