using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace SafeMigrations.Worker;

/// <summary>Sets the limits of <see cref="MigrationOptions"/> on the worker's open database session, where the server enforces them.</summary>
internal static class SessionLimits
{
    /// <summary>What the worker's sessions are called in <c>pg_stat_activity</c>, unless the connection string names them.</summary>
    public const string ApplicationName = "migrations";

    /// <summary>
    /// How often the server checks, while a statement of the worker runs, that the worker is still connected. A killed
    /// worker's statement would otherwise run on, holding its locks, until it ends or writes to the gone client; the
    /// migration lock, held by another session of the worker, is released as soon as the process dies.
    /// </summary>
    public static readonly TimeSpan ClientConnectionCheckInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Sets lock, statement and idle-in-transaction timeouts for the rest of the session (not one transaction), and the
    /// check for a gone client (<c>client_connection_check_interval</c>, PostgreSQL 14 and later).
    /// </summary>
    public static async Task ApplyAsync(DbContext context, MigrationOptions limits, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)context.Database.GetDbConnection();
        await using var command = new NpgsqlCommand(
            """
            SELECT set_config('lock_timeout', $1, false),
                   set_config('statement_timeout', $2, false),
                   set_config('idle_in_transaction_session_timeout', $3, false),
                   set_config('application_name', coalesce(nullif(current_setting('application_name'), ''), $4), false),
                   CASE WHEN current_setting('server_version_num')::int >= 140000
                        THEN set_config('client_connection_check_interval', $5, false) END
            """, connection);
        foreach (var value in new[] { Milliseconds(limits.LockTimeout), Milliseconds(limits.StatementTimeout),
                     Milliseconds(limits.IdleInTransactionSessionTimeout), ApplicationName, Milliseconds(ClientConnectionCheckInterval) })
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = value });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // PostgreSQL reads a bare number as milliseconds; 0 turns a timeout off.
    private static string Milliseconds(TimeSpan value) =>
        ((long)Math.Ceiling(value.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
}
