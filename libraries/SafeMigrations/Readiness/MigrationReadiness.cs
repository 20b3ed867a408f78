namespace SafeMigrations.Readiness;

/// <summary>The names and bounds of the readiness check (<see cref="PendingMigrationsHealthCheck{TContext}"/>).</summary>
public static class MigrationReadiness
{
    /// <summary>The name the check is registered under unless the app names another: <c>pending-migrations</c>.</summary>
    public const string Name = "pending-migrations";

    /// <summary>The check's description while the database does not answer (the exception goes to the log, not to the report).</summary>
    public const string NotAnswering = "The database is not answering.";

    /// <summary>
    /// How long the read waits for a lock on the history (a migration in progress) before it keeps the last answer: well
    /// below a probe's timeout, so a locked history leaves time for an answer.
    /// </summary>
    public static readonly TimeSpan HistoryLockTimeout = TimeSpan.FromMilliseconds(500);
}
