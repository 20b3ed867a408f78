using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace SafeMigrations.Worker;

/// <summary>
/// What the worker does and within which limits: the <c>Migrations</c> configuration section, bound once per run. The
/// command line (<c>--target</c>, <c>--list</c>, …) writes into the same keys, so the AppHost, a container's environment
/// (<c>Migrations__Target=…</c>) and an operator's shell all say the same thing the same way.
/// </summary>
public sealed class MigrationOptions
{
    /// <summary>The configuration section: <c>Migrations</c>.</summary>
    public const string SectionName = "Migrations";

    /// <summary>Migrate up or down to exactly this migration (id or name; <c>0</c> reverts all). Empty: latest, then seed.</summary>
    /// <remarks>With several contexts it must name a migration of exactly one of them, or come with <see cref="Context"/>.</remarks>
    public string? Target { get; set; }

    /// <summary>Only this context (its type name, in any case); empty: every registered context, in registration order.</summary>
    public string? Context { get; set; }

    /// <summary>Print applied and pending migrations per context and change nothing.</summary>
    public bool List { get; set; }

    /// <summary>With <see cref="List"/>: print the list as one JSON document on stdout, for tools.</summary>
    public bool Json { get; set; }

    /// <summary>Print the idempotent SQL script of the pending migrations and change nothing.</summary>
    public bool Script { get; set; }

    /// <summary>
    /// Print, for each pending migration, the locks it takes on live tables, what it does to them (scan, rewrite, index
    /// build), their size and the estimated time under each lock, with the data checks' and the budget's verdicts
    /// (<c>--plan</c>); change nothing.
    /// </summary>
    public bool Plan { get; set; }

    /// <summary>
    /// The longest a migration may hold a lock that blocks the app's reads or writes on a table, as estimated from the
    /// table's live size (<c>--plan</c>). A migration over it is refused before anything runs (exit 2), unless its class
    /// carries <c>[LockTimeReviewed("why")]</c>; online forms (<c>CREATE INDEX CONCURRENTLY</c>, a batched backfill,
    /// <c>SetNotNullOnline</c>) block neither and pass. Default 10 s: Aspire's standard resilience handler gives a
    /// request 10 s per attempt, so a longer block turns into failed requests. Zero turns the budget off.
    /// </summary>
    public TimeSpan MaxLockedTime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary><c>--drift</c> and what it leaves out: <c>Migrations:Drift:Check</c>, <c>Migrations:Drift:Ignore</c>.</summary>
    public DriftOptions Drift { get; set; } = new();

    /// <summary>
    /// Print the bootstrap (<c>--bootstrap-sql</c>): the psql script with which the admin sets up, once per deployment,
    /// what a worker with a migrator login may not (docs/deploy.md); connect to nothing and change nothing.
    /// </summary>
    public bool BootstrapSql { get; set; }

    /// <summary>Consent to migrate down through migrations that destroy data (<c>--allow-data-loss</c>); refused with exit code 2 without it.</summary>
    public bool AllowDataLoss { get; set; }

    /// <summary>Apply a pending migration whose id sorts before the latest applied one; refused with exit code 4 without it.</summary>
    public bool AllowOutOfOrder { get; set; }

    /// <summary>Accept the current checksums of applied migrations that changed since (<c>--repair</c>), and migrate nothing.</summary>
    public bool Repair { get; set; }

    /// <summary>
    /// Take over, as the web app's role, an existing login role the worker did not create (its password and privileges
    /// then change); refused with exit code 2 without it.
    /// </summary>
    public bool AdoptWebRole { get; set; }

    /// <summary>How long to keep trying to reach the database before giving up with exit code 3.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The client's own timeout for each migration statement (the server's is <see cref="StatementTimeout"/>).</summary>
    /// <remarks>
    /// Long backfills outlast Npgsql's 30 s default. Keep it above the statement timeout, so the server's cancellation,
    /// with its clear error, comes first. Also the default of <see cref="AdvisoryLockTimeout"/>.
    /// </remarks>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// PostgreSQL <c>lock_timeout</c> of every statement of the worker: a statement that waits longer for a lock gives up,
    /// so it never queues the app's queries behind it for longer than this. Its migration is rolled back and retried.
    /// </summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many times a migration (or the role setup) that hit <see cref="LockTimeout"/> is retried before exit 1.</summary>
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
    /// How long to wait for another worker's migration lock before exit 1. Unset: <see cref="CommandTimeout"/>. Named
    /// after the advisory lock earlier releases took; the key stays so that existing settings keep working.
    /// </summary>
    public TimeSpan? AdvisoryLockTimeout { get; set; }

    /// <summary>
    /// The web role's <c>CONNECTION LIMIT</c>, which the server enforces: the web app's share of the connection budget.
    /// Unset: left as it is (a new role has none, -1); -1 removes the limit.
    /// </summary>
    public int? WebConnectionLimit { get; set; }

    /// <summary>How long to wait for another worker's migration lock: <see cref="AdvisoryLockTimeout"/>, else <see cref="CommandTimeout"/>.</summary>
    internal TimeSpan MigrationLockTimeout => AdvisoryLockTimeout ?? CommandTimeout;

    /// <summary>The section bound once; or, when a value cannot be used, why not in one line naming the key.</summary>
    internal static (MigrationOptions? Options, string? Problem) Bind(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        MigrationOptions options;
        try
        {
            options = section.Get<MigrationOptions>() ?? new();
        }
        catch (InvalidOperationException e)
        {
            // The binder's own sentence names the key and the value (no secret lives in this section).
            return (null, e.Message);
        }

        if (options.MaxLockedTime < TimeSpan.Zero)
        {
            return (null, $"{SectionName}:{nameof(MaxLockedTime)} must be a duration of zero (no budget) or more, such as 00:00:10; " +
                $"'{options.MaxLockedTime}' is not.");
        }

        return options.WebConnectionLimit is < -1
            ? (null, $"{SectionName}:{nameof(WebConnectionLimit)} must be a whole number of connections, at least -1 (no limit); " +
                     $"'{options.WebConnectionLimit.Value.ToString(CultureInfo.InvariantCulture)}' is not.")
            : (options, null);
    }
}
