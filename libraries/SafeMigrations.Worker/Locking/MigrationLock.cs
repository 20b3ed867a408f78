using System.Data;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace SafeMigrations.Worker;

/// <summary>
/// The lock that serialises every worker on a database: <c>LOCK TABLE "__EFMigrationsLock" IN EXCLUSIVE MODE</c>, held
/// in an open transaction on a connection of its own for the whole run (role setup, history read, migrations, seed).
/// EF Core's own migration lock (LOCK TABLE on the history, per migration transaction) lets concurrent workers apply the
/// same migration twice on Npgsql. The table belongs to the admin login (to the owner role when the worker runs with a
/// migrator login, <see cref="MigratorLogin"/>) and nobody else has any privilege on it, so the web app's role cannot
/// take or hold this lock (an advisory lock, which needs no privilege, any role could).
/// </summary>
/// <remarks>
/// Three rules keep it from deadlocking with the holder's own <c>CREATE INDEX CONCURRENTLY</c>, which waits for every
/// session whose snapshot is older than its own: the holder never waits inside a statement (a waiting <c>LOCK TABLE</c>
/// keeps a catalog snapshot), so it asks with <c>NOWAIT</c>, once a second; it takes EXCLUSIVE, not ACCESS EXCLUSIVE
/// mode (an ACCESS EXCLUSIVE lock is WAL-logged for standbys, which gives the holder a transaction id for the whole run
/// and holds back VACUUM); and it runs nothing else while it holds the lock. Its idle transaction then has neither a
/// snapshot nor a transaction id. See docs/worker.md, "Safe to run several at once".
/// </remarks>
internal sealed class MigrationLock : IAsyncDisposable
{
    /// <summary>The table's name, next to the history (<see cref="HistoryTables"/>).</summary>
    public const string TableName = "__EFMigrationsLock";

    /// <summary>The lock mode: conflicts with itself, assigns no transaction id.</summary>
    public const string Mode = "EXCLUSIVE";

    /// <summary>What the holder's session is called in <c>pg_stat_activity</c>, after the worker's own sessions.</summary>
    public const string ApplicationNameSuffix = " lock";

    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    // A server-side keepalive on the holder's session: it sits idle for the whole run, so a worker cut off from the
    // network would otherwise keep the lock until the operating system's keepalive gives up (two hours by default).
    private const string HolderSettings = """
        SET idle_in_transaction_session_timeout = 0;
        SET tcp_keepalives_idle = 30;
        SET tcp_keepalives_interval = 10;
        SET tcp_keepalives_count = 3
        """;

    private readonly NpgsqlConnection _holder;
    private readonly NpgsqlTransaction _transaction;
    private readonly uint _table;

    private MigrationLock(NpgsqlConnection holder, NpgsqlTransaction transaction, uint table) =>
        (_holder, _transaction, _table) = (holder, transaction, table);

    /// <summary>The holder's server process id (<c>pg_locks.pid</c>).</summary>
    public int HolderPid => _holder.ProcessID;

    /// <summary>The lock's table, quoted and in the history's schema (shared by the contexts whose histories share it).</summary>
    public static string Table(DbContext context) => HistoryTables.Qualified(context, TableName);

    /// <summary>
    /// Creates the lock's table if missing, as the worker's session (the admin, or the owner role), with no privilege for anyone
    /// else. Before the lock, so it may race with another worker: losing that race is not an error.
    /// </summary>
    public static async Task CreateIfMissingAsync(DbContext context, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)context.Database.GetDbConnection();
        var table = Table(context);
        await using (var exists = new NpgsqlCommand("SELECT to_regclass(@table) IS NOT NULL", connection))
        {
            exists.Parameters.AddWithValue("table", table);
            if ((bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                return;
            }
        }

        var schema = HistoryTables.Schema(context) is { } name ? $"CREATE SCHEMA IF NOT EXISTS {PostgresIdentifier.Quote(name)};" : "";
        try
        {
            await using var create = new NpgsqlCommand(
                $"BEGIN; {schema} CREATE TABLE IF NOT EXISTS {table} (); REVOKE ALL ON {table} FROM PUBLIC; COMMIT;", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.UniqueViolation
                                              or PostgresErrorCodes.DuplicateSchema)
        {
            // Another worker created it a moment ago: that is all this needs.
            await using var rollback = new NpgsqlCommand("ROLLBACK", connection);
            await rollback.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Takes the lock on a connection of its own (same server, credentials and database as the context's), waiting up
    /// to <paramref name="wait"/> for another worker that holds it.
    /// </summary>
    /// <exception cref="LockWaitTimeoutException">Another worker held it for longer; the message names that session.</exception>
    public static async Task<MigrationLock> AcquireAsync(DbContext context, TimeSpan wait, ILogger logger, CancellationToken cancellationToken)
    {
        var holder = new NpgsqlConnection(WorkerConnectionStrings.Derive(context, login =>
            login.ApplicationName = (string.IsNullOrEmpty(login.ApplicationName) ? SessionLimits.ApplicationName : login.ApplicationName) + ApplicationNameSuffix));
        try
        {
            await holder.OpenAsync(cancellationToken);
            await MigratorLogin.ActAsOwnerAsync(holder, cancellationToken);
            var table = Table(context);
            await using (var settings = new NpgsqlCommand(HolderSettings, holder))
            {
                await settings.ExecuteNonQueryAsync(cancellationToken);
            }

            uint tableOid;
            await using (var oid = new NpgsqlCommand("SELECT to_regclass(@table)::oid", holder))
            {
                oid.Parameters.AddWithValue("table", table);
                tableOid = (uint)(await oid.ExecuteScalarAsync(cancellationToken))!;
            }

            var contextName = context.GetType().Name;
            var elapsed = Stopwatch.StartNew();
            for (var attempt = 0; ; attempt++)
            {
                // Asked only when pg_locks shows it free: each refused NOWAIT is an error line in the server's log.
                if ((await FindHoldersAsync(holder, tableOid, cancellationToken)).Count == 0
                    && await TryLockAsync(holder, table, cancellationToken) is { } transaction)
                {
                    return new MigrationLock(holder, transaction, tableOid);
                }

                if (attempt == 0)
                {
                    logger.LogInformation("Another worker is migrating {Context}; waiting up to {Wait} s for it to finish", contextName, wait.TotalSeconds);
                }

                if (elapsed.Elapsed >= wait)
                {
                    var holders = await FindHoldersAsync(holder, tableOid, cancellationToken);
                    throw new LockWaitTimeoutException(
                        $"A lock wait timed out: another worker held the migration lock of {contextName} for longer than " +
                        $"Migrations:AdvisoryLockTimeout ({wait.TotalSeconds:0.###} s), waiting for a lock {LockHolder.Describe(holders)}. " +
                        "Nothing was changed: run again once that worker has finished.");
                }

                await Task.Delay(PollInterval, cancellationToken);
            }
        }
        catch
        {
            await holder.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Checks, from the worker's session (never the holder's), that the holder still holds the lock: should its session
    /// have ended (terminated by an operator, say), another worker could be migrating alongside, so the run stops.
    /// </summary>
    public async Task EnsureHeldAsync(DbContext context, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT EXISTS (SELECT FROM pg_locks WHERE locktype = 'relation' AND relation = @table AND pid = @pid AND granted
                                                   AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))
            """, (NpgsqlConnection)context.Database.GetDbConnection());
        command.Parameters.Add(new NpgsqlParameter<uint>("table", NpgsqlTypes.NpgsqlDbType.Oid) { TypedValue = _table });
        command.Parameters.AddWithValue("pid", HolderPid);
        if (!(bool)(await command.ExecuteScalarAsync(cancellationToken))!)
        {
            throw new MigrationLockLostException(
                $"Stopped: the migration lock of {context.GetType().Name} was lost: its session (pid {HolderPid}) ended, so another worker may have " +
                "started; this run stopped before its next step. Migrations that completed before it stay applied: run again.");
        }
    }

    /// <summary>Releases the lock (ends the transaction and closes the connection). Not cancellable; a connection already gone took the lock with it.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _transaction.RollbackAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // The session is gone, and with it the lock; the run's own outcome is what matters.
        }

        await _holder.DisposeAsync();
    }

    /// <returns>The open transaction that holds the lock, or null when another session holds it (rolled back).</returns>
    private static async Task<NpgsqlTransaction?> TryLockAsync(NpgsqlConnection holder, string table, CancellationToken cancellationToken)
    {
        // READ COMMITTED whatever the database's default: under REPEATABLE READ a first statement would pin a snapshot.
        var transaction = await holder.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand($"LOCK TABLE {table} IN {Mode} MODE NOWAIT", holder, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return transaction;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            await transaction.RollbackAsync(cancellationToken);
            await transaction.DisposeAsync();
            return null;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    private static async Task<IReadOnlyList<LockHolder>> FindHoldersAsync(NpgsqlConnection connection, uint table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"""
            SELECT {LockHolder.Columns}
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'relation' AND l.granted AND l.relation = @table
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            ORDER BY a.pid
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<uint>("table", NpgsqlTypes.NpgsqlDbType.Oid) { TypedValue = table });
        return await LockHolder.ReadAllAsync(command, cancellationToken);
    }
}
