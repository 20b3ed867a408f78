using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace MigrationService;

/// <summary>Sets <see cref="MigrationLimits"/> on the worker's open database session, where the server enforces them.</summary>
public static class SessionLimits
{
    /// <summary>What the worker's sessions are called in <c>pg_stat_activity</c>, unless the connection string names them.</summary>
    public const string ApplicationName = "migrations";

    /// <summary>Sets lock, statement and idle-in-transaction timeouts for the rest of the session (not one transaction).</summary>
    public static Task ApplyAsync(DbContext context, MigrationLimits limits, CancellationToken cancellationToken) =>
        context.Database.ExecuteSqlAsync(
            $"""
            SELECT set_config('lock_timeout', {Milliseconds(limits.LockTimeout)}, false),
                   set_config('statement_timeout', {Milliseconds(limits.StatementTimeout)}, false),
                   set_config('idle_in_transaction_session_timeout', {Milliseconds(limits.IdleInTransactionSessionTimeout)}, false),
                   set_config('application_name', coalesce(nullif(current_setting('application_name'), ''), {ApplicationName}), false)
            """,
            cancellationToken);

    // PostgreSQL reads a bare number as milliseconds; 0 turns a timeout off.
    private static string Milliseconds(TimeSpan value) =>
        ((long)Math.Ceiling(value.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
}
