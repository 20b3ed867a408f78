using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace SafeMigrations.Worker;

/// <summary>
/// Watches, from a second connection, which sessions block the worker's session during one attempt of a statement, so
/// that a lock timeout can say who held the lock. Once the timeout fires the wait is over and PostgreSQL no longer links
/// the two, so this looks while the worker waits: <c>pg_blocking_pids()</c> joined to <c>pg_stat_activity</c>, a few
/// times per lock timeout. It connects only once the attempt has lasted one polling interval: a run whose statements
/// are quick never opens that connection (see the connection budget in docs/deploy.md).
/// </summary>
/// <remarks>Best effort: if it cannot connect or query, the worker's message says the holder could not be seen.</remarks>
internal sealed class LockBlockerObserver : IAsyncDisposable
{
    private static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxInterval = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watching;
    private volatile IReadOnlyList<LockHolder> _lastSeen = [];

    private LockBlockerObserver(int pid, NpgsqlConnection connection, TimeSpan interval, ILogger logger) =>
        _watching = WatchAsync(pid, connection, interval, logger, _stop.Token);

    /// <summary>The sessions that blocked the worker when last seen blocked.</summary>
    public IReadOnlyList<LockHolder> LastSeen => _lastSeen;

    /// <summary>Watches the open connection of <paramref name="context"/> for one attempt, polling at a quarter of <paramref name="lockTimeout"/>.</summary>
    public static LockBlockerObserver Start(DbContext context, TimeSpan lockTimeout, ILogger logger)
    {
        var interval = TimeSpan.FromTicks(Math.Clamp(lockTimeout.Ticks / 4, MinInterval.Ticks, MaxInterval.Ticks));
        var observed = (NpgsqlConnection)context.Database.GetDbConnection();
        var connection = new NpgsqlConnection(WorkerConnectionStrings.Derive(context));
        return new LockBlockerObserver(observed.ProcessID, connection, interval, logger);
    }

    private async Task WatchAsync(int pid, NpgsqlConnection connection, TimeSpan interval, ILogger logger, CancellationToken stop)
    {
        await using var _ = connection;
        try
        {
            await Task.Delay(interval, stop);
            await connection.OpenAsync(stop);
            await using var query = new NpgsqlCommand(
                $"SELECT {LockHolder.Columns} FROM pg_stat_activity a WHERE a.pid = ANY (pg_blocking_pids($1)) ORDER BY a.pid",
                connection);
            query.Parameters.Add(new NpgsqlParameter<int> { TypedValue = pid });
            query.CommandTimeout = 10;
            while (!stop.IsCancellationRequested)
            {
                var holders = await LockHolder.ReadAllAsync(query, stop);
                if (holders.Count > 0)
                {
                    _lastSeen = holders;
                }

                await Task.Delay(interval, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogDebug(e, "Stopped watching for lock holders");
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watching;
        _stop.Dispose();
    }
}
