namespace SafeMigrations.Worker;

/// <summary>What the worker does, bound from the <c>Migrations</c> configuration section.</summary>
/// <remarks>
/// The command line (<see cref="MigrationCommandLine"/>) writes into the same keys, so the AppHost, a container's
/// environment (<c>Migrations__Target=…</c>) and an operator's shell all say the same thing the same way.
/// </remarks>
public sealed class MigrationOptions
{
    public const string SectionName = "Migrations";

    /// <summary>Migrate up or down to exactly this migration (id or name; <c>0</c> reverts all). Empty: latest, then seed.</summary>
    public string? Target { get; set; }

    /// <summary>Print applied and pending migrations per context and change nothing.</summary>
    public bool List { get; set; }

    /// <summary>With <see cref="List"/>: print the list as one JSON document, for tools (docs/worker.md).</summary>
    public bool Json { get; set; }

    /// <summary>Print the idempotent SQL script of the pending migrations and change nothing.</summary>
    public bool Script { get; set; }

    /// <summary>Consent to migrate down through migrations that destroy data (<c>--allow-data-loss</c>); refused with exit code 2 without it.</summary>
    public bool AllowDataLoss { get; set; }

    /// <summary>Apply a pending migration whose id sorts before the latest applied one; refused with exit code 4 without it.</summary>
    public bool AllowOutOfOrder { get; set; }

    /// <summary>Accept the current checksums of applied migrations that changed since (<c>--repair</c>), and migrate nothing.</summary>
    public bool Repair { get; set; }

    /// <summary>How long to keep trying to reach the database before giving up with exit code 3.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The client's own timeout for each migration statement (the server's is <see cref="MigrationLimits.StatementTimeout"/>).</summary>
    /// <remarks>
    /// Long backfills outlast Npgsql's 30 s default; the web app keeps the default. Keep it above the statement timeout,
    /// so the server's cancellation, with its clear error, comes first. Also the default of
    /// <see cref="MigrationLimits.AdvisoryLockTimeout"/>.
    /// </remarks>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(10);
}
