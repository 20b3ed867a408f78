using System.Diagnostics;
using Npgsql;

namespace OnlineMigration;

/// <summary>
/// The live app during the migration: one connection that adds a to-do and changes a random one, over and over, and
/// remembers the longest any single write took (its wait for locks, mostly).
/// </summary>
public sealed class Writer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    private Writer(NpgsqlConnection connection, int rows) => _running = RunAsync(connection, rows, _stop.Token);

    public int Writes { get; private set; }

    public int Errors { get; private set; }

    public TimeSpan LongestWait { get; private set; }

    public static async Task<Writer> StartAsync(string connectionString, int rows)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return new Writer(connection, rows);
    }

    private async Task RunAsync(NpgsqlConnection connection, int rows, CancellationToken stop)
    {
        await using var _ = connection;
        await Task.Yield();
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var sql = i % 2 == 0
                ? $"INSERT INTO \"Todos\" (\"Title\", \"IsDone\") VALUES ('writer {i}', false)"
                : $"UPDATE \"Todos\" SET \"Title\" = 'writer {i}' WHERE \"Id\" = {Random.Shared.Next(1, rows + 1)}";
            var elapsed = Stopwatch.StartNew();
            try
            {
                await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
                await command.ExecuteNonQueryAsync(CancellationToken.None);
                Writes++;
            }
            catch (PostgresException)
            {
                Errors++;
            }

            LongestWait = elapsed.Elapsed > LongestWait ? elapsed.Elapsed : LongestWait;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        _stop.Dispose();
    }
}
