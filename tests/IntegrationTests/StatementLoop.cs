using System.Diagnostics;
using Npgsql;

namespace IntegrationTests;

/// <summary>
/// The live app, reduced to one connection running a statement over and over — a reader or a writer — timing each
/// run, until stopped. What a migration does to the app shows in <see cref="LongestWait"/> and <see cref="Errors"/>.
/// </summary>
public sealed class StatementLoop : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Exception> _errors = [];
    private readonly Task _running;

    private StatementLoop(NpgsqlConnection connection, Func<int, string> sql) => _running = RunAsync(connection, sql, _stop.Token);

    /// <summary>Statements that completed.</summary>
    public int Completed { get; private set; }

    /// <summary>The longest any one statement took (the time it waited for locks, mostly).</summary>
    public TimeSpan LongestWait { get; private set; }

    /// <summary>Statements that failed.</summary>
    public IReadOnlyList<Exception> Errors => _errors;

    /// <summary>Starts running <paramref name="sql"/> (given the iteration number) on a connection named <paramref name="applicationName"/>.</summary>
    public static async Task<StatementLoop> StartAsync(string connectionString, string applicationName, Func<int, string> sql) =>
        new(await Database.OpenAsync(connectionString, applicationName), sql);

    private async Task RunAsync(NpgsqlConnection connection, Func<int, string> sql, CancellationToken stop)
    {
        await using var _ = connection;
        await Task.Yield();
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var elapsed = Stopwatch.StartNew();
            try
            {
                await using var command = new NpgsqlCommand(sql(i), connection) { CommandTimeout = 0 };
                // Not cancelled by stop: a statement in flight is waited for, so its wait is measured too.
                await command.ExecuteNonQueryAsync(CancellationToken.None);
                Completed++;
            }
            catch (NpgsqlException e)
            {
                _errors.Add(e);
            }

            if (elapsed.Elapsed > LongestWait)
            {
                LongestWait = elapsed.Elapsed;
            }
        }
    }

    /// <summary>Stops after the statement in flight; within the test deadline.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _running.WaitAsync(TestDeadline.Timeout, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }
}
