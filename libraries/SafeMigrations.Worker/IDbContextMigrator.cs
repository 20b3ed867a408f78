namespace SafeMigrations.Worker;

/// <summary>Migrates one registered DbContext. The worker runs one per context, in registration order.</summary>
public interface IDbContextMigrator
{
    /// <summary>The context's type name, as logs, spans and <c>--list</c> show it.</summary>
    string ContextName { get; }

    /// <summary>The name of the connection string the context migrates (<c>ConnectionStrings:&lt;name&gt;</c>).</summary>
    string ConnectionName { get; }

    /// <summary>Every migration this build knows, oldest first (full ids).</summary>
    IReadOnlyList<string> KnownMigrations { get; }

    /// <summary>The full id of <paramref name="target"/> (id or name, any case; <c>0</c> = before the first), or null when unknown.</summary>
    string? ResolveTarget(string target);

    /// <summary>Brings the database to <paramref name="targetId"/> (null: latest, then seed). Serialised across processes.</summary>
    Task MigrateAsync(string? targetId, CancellationToken cancellationToken);

    /// <summary>What is applied and what is pending. Changes nothing.</summary>
    Task<MigrationStatus> GetStatusAsync(CancellationToken cancellationToken);

    /// <summary>Idempotent SQL for the pending migrations (empty when none). Changes nothing.</summary>
    Task<string> GenerateScriptAsync(CancellationToken cancellationToken);
}

/// <param name="Database">The database the connection string names.</param>
/// <param name="Applied">Applied migrations, oldest first.</param>
/// <param name="Pending">Migrations of this build not yet applied, oldest first.</param>
/// <param name="Unknown">Applied in the database but not part of this build (the database is ahead of the code).</param>
public sealed record MigrationStatus(string? Database, IReadOnlyList<string> Applied, IReadOnlyList<string> Pending, IReadOnlyList<string> Unknown);
