using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace MigrationService;

/// <summary>Sets <see cref="MigrationLimits"/> on the worker's open database session, where the server enforces them.</summary>
public static class SessionLimits
{
    /// <summary>What the worker's sessions are called in <c>pg_stat_activity</c>, unless the connection string names them.</summary>
    public const string ApplicationName = "migrations";

    /// <summary>Sets lock, statement and idle-in-transaction timeouts for the rest of the session (not one transaction).</summary>
    public static Task ApplyAsync(DbContext context, MigrationLimits limits, CancellationToken cancellationToken) =>
        ApplyAsync((NpgsqlConnection)context.Database.GetDbConnection(), limits, cancellationToken);

    /// <summary>The same on an open connection of the worker's own (outside EF Core).</summary>
    public static async Task ApplyAsync(NpgsqlConnection connection, MigrationLimits limits, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT set_config('lock_timeout', $1, false),
                   set_config('statement_timeout', $2, false),
                   set_config('idle_in_transaction_session_timeout', $3, false),
                   set_config('application_name', coalesce(nullif(current_setting('application_name'), ''), $4), false)
            """, connection);
        foreach (var value in new[] { Milliseconds(limits.LockTimeout), Milliseconds(limits.StatementTimeout),
                     Milliseconds(limits.IdleInTransactionSessionTimeout), ApplicationName })
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = value });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // PostgreSQL reads a bare number as milliseconds; 0 turns a timeout off.
    private static string Milliseconds(TimeSpan value) =>
        ((long)Math.Ceiling(value.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
}
