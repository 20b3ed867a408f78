namespace SafeMigrations.Worker;

/// <summary>
/// How long the worker may wait for locks and run statements, bound from the <c>Migrations</c> section (as
/// <see cref="MigrationOptions"/> is). The first three are set on the worker's database session, so the server enforces
/// them, also for a worker that is gone.
/// </summary>
public sealed class MigrationLimits
{
    /// <summary>
    /// PostgreSQL <c>lock_timeout</c> of every migration statement: a statement that waits longer for a lock gives up,
    /// so it never queues the app's queries behind it for longer than this. Its migration is rolled back and retried.
    /// </summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many times a migration that hit <see cref="LockTimeout"/> is retried before the worker gives up (exit 1).</summary>
    public int LockRetries { get; set; } = 5;

    /// <summary>Pause before the first retry; each further retry waits twice as long as the one before.</summary>
    public TimeSpan LockRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>PostgreSQL <c>statement_timeout</c>: the server cancels any statement of the worker that runs longer.</summary>
    /// <remarks>A batched backfill is one statement to PostgreSQL; what it committed before a cancellation stays.</remarks>
    public TimeSpan StatementTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// PostgreSQL <c>idle_in_transaction_session_timeout</c>: the server ends the worker's session if it sits idle inside
    /// a transaction (holding its locks) for longer — a hung or cut-off worker releases its locks after this.
    /// </summary>
    public TimeSpan IdleInTransactionSessionTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long to wait for another worker's migration lock (<see cref="MigrationLock"/>). Unset: <c>Migrations:CommandTimeout</c>.
    /// Named after the advisory lock earlier releases took; the key stays so that existing settings keep working.
    /// </summary>
    public TimeSpan? AdvisoryLockTimeout { get; set; }

    /// <summary>
    /// The web role's <c>CONNECTION LIMIT</c>, which the server enforces: the web app's share of the connection budget
    /// (docs/deploy.md). Unset: left as it is (a new role has none, -1); -1 removes the limit.
    /// </summary>
    public int? WebConnectionLimit { get; set; }
}
