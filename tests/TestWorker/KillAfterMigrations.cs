using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace TestWorker;

/// <summary>
/// Kills the worker's own process (SIGKILL, as an orchestrator or the OOM killer would) right after the
/// <paramref name="count"/>-th migration is recorded in the history and committed — the moment a run cut short between
/// two migrations leaves behind. Set with <see cref="Setting"/>.
/// </summary>
/// <param name="count">The migrations to let through.</param>
public sealed class KillAfterMigrations(int count) : DbCommandInterceptor, IDbTransactionInterceptor
{
    /// <summary>The setting (<c>TestWorker:KillAfterMigrations=N</c>) that adds it to the catalog's context.</summary>
    public const string Setting = "TestWorker:KillAfterMigrations";

    private int _recorded;
    private bool _recordPending;

    /// <inheritdoc />
    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Recorded(command);
        return result;
    }

    /// <inheritdoc />
    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        Recorded(command);
        return ValueTask.FromResult(result);
    }

    /// <inheritdoc />
    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed();

    /// <inheritdoc />
    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed();
        return Task.CompletedTask;
    }

    private void Recorded(DbCommand command)
    {
        if (!command.CommandText.TrimStart().StartsWith("INSERT INTO \"__EFMigrationsHistory\"", StringComparison.Ordinal))
        {
            return;
        }

        // A migration that suppresses its transaction records itself outside one: that is its commit.
        _recordPending = true;
        if (command.Transaction is null)
        {
            Committed();
        }
    }

    private void Committed()
    {
        if (_recordPending && ++_recorded == count)
        {
            Process.GetCurrentProcess().Kill();
        }

        _recordPending = false;
    }
}
