using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace SafeMigrations.Worker;

/// <summary>
/// The checks before a context is migrated, on the worker's session under the migration lock: applied migrations
/// unchanged (checksums), no pending migration below the latest applied, and no data destroyed going down without
/// consent. Each refusal changes nothing. The checksums of what is then applied are written with the history, in each
/// migration's transaction (<see cref="ChecksummedHistoryRepository"/>).
/// </summary>
internal sealed class MigrationGuards(MigrationOptions options, ILogger<MigrationGuards> logger)
{
    /// <summary>Checks the move from <paramref name="applied"/> to <paramref name="targetId"/>.</summary>
    /// <returns>What the move will drop with consent (<c>--allow-data-loss</c>), to log once it is done; usually nothing.</returns>
    /// <exception cref="HistoryCheckException">An applied migration was edited, or a pending one is out of order.</exception>
    /// <exception cref="DataLossRefusedException">The move destroys data and no consent was given.</exception>
    /// <exception cref="DataCheckFailedException">A pending migration would fail on the data there is.</exception>
    public async Task<IReadOnlyList<string>> CheckAsync(DbContext context, IReadOnlyList<string> applied, string? targetId,
        CancellationToken cancellationToken)
    {
        var name = context.GetType().Name;
        await VerifyChecksumsAsync(context, applied, repair: false, cancellationToken);
        var (_, _, toRevert, toApply) = MigrationPlan.Changes([.. context.Database.GetMigrations()], applied, targetId);
        CheckOrder(name, applied, toApply);
        await CheckPendingDataAsync(context, toApply, cancellationToken);
        return await CheckDataLossAsync(context, toRevert, cancellationToken);
    }

    private static async Task CheckPendingDataAsync(DbContext context, List<string> toApply, CancellationToken cancellationToken)
    {
        var failing = (await PendingDataChecks.RunAsync(context, toApply, cancellationToken)).Where(r => r.Count > 0).Select(r => r.Describe()).ToList();
        if (failing.Count > 0)
        {
            throw new DataCheckFailedException(
                $"Refusing to migrate: {string.Join("; ", failing)}. Nothing was migrated. Fix the data (or the migration), then run again.");
        }
    }

    private static async Task<object?> ScalarAsync(DbContext context, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, (NpgsqlConnection)context.Database.GetDbConnection());
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <summary>
    /// Why the checksums of <paramref name="applied"/> are not as a run would leave them — one missing, or one differing
    /// (which a run refuses with exit 4) — or null when each is recorded and matches. Reads only.
    /// </summary>
    public async Task<string?> ChecksumProblemAsync(DbContext context, IReadOnlyList<string> applied, CancellationToken cancellationToken)
    {
        if (!await MigrationChecksumStore.ExistsAsync(context, cancellationToken))
        {
            return "no checksum is recorded";
        }

        var recorded = await MigrationChecksumStore.ReadAsync(context, cancellationToken);
        foreach (var (id, checksum) in Checksums(context, applied))
        {
            if (!recorded.TryGetValue(id, out var found))
            {
                return $"the checksum of {id} is not recorded";
            }

            if (found != checksum)
            {
                return $"{id} changed after it was applied";
            }
        }

        return null;
    }

    /// <summary><c>--repair</c>: accepts the current checksum of every applied migration whose recorded one differs.</summary>
    public async Task RepairAsync(DbContext context, CancellationToken cancellationToken)
    {
        var applied = (await context.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
        await VerifyChecksumsAsync(context, applied, repair: true, cancellationToken);
    }

    private async Task VerifyChecksumsAsync(DbContext context, IReadOnlyList<string> applied, bool repair, CancellationToken cancellationToken)
    {
        var name = context.GetType().Name;
        await MigrationChecksumStore.CreateIfNotExistsAsync(context, cancellationToken);
        var recorded = await MigrationChecksumStore.ReadAsync(context, cancellationToken);
        var current = Checksums(context, applied);
        var edited = current.Where(c => recorded.TryGetValue(c.Key, out var r) && r != c.Value).Select(c => c.Key).ToList();
        if (edited.Count > 0 && !repair)
        {
            throw new HistoryCheckException(
                $"{name}: {string.Join(", ", edited)} changed after {(edited.Count == 1 ? "it was" : "they were")} applied " +
                "(the checksum recorded then differs). Restore it and put the change in a new migration; or, if the change is " +
                "harmless (an EF Core or Npgsql upgrade can also cause this), run once with --repair to accept it. Nothing was migrated.");
        }

        // A run records a migration's checksum in the migration's own transaction (ChecksummedHistoryRepository): one
        // missing was applied before checksums existed, or by another tool (dotnet ef database update). Adopted as it is.
        var missing = current.Where(c => !recorded.ContainsKey(c.Key)).ToDictionary();
        await MigrationChecksumStore.RecordAsync(context, missing.Concat(current.Where(c => edited.Contains(c.Key))).ToDictionary(), cancellationToken);
        if (missing.Count > 0)
        {
            logger.LogInformation("{Context}: recorded the checksums of {Count} applied migration(s) that had none", name, missing.Count);
        }

        foreach (var id in edited)
        {
            logger.LogWarning("{Context}: --repair accepted the current checksum of {Migration}, which changed after it was applied", name, id);
        }

        if (repair)
        {
            logger.LogInformation("{Context}: checksums repaired: {Edited} accepted, {Missing} recorded; nothing was migrated", name, edited.Count, missing.Count);
        }
    }

    private void CheckOrder(string name, IReadOnlyList<string> applied, List<string> toApply)
    {
        var latest = applied.Max(StringComparer.OrdinalIgnoreCase);
        var early = toApply.Where(id => StringComparer.OrdinalIgnoreCase.Compare(id, latest) < 0).ToList();
        if (early.Count == 0)
        {
            return;
        }

        if (!options.AllowOutOfOrder)
        {
            throw new HistoryCheckException(
                $"{name}: pending {string.Join(", ", early)} sorts before {latest}, the latest applied (a merge from a long-lived " +
                "branch?). Check that it does not conflict with what was applied after it, then run with " +
                "Migrations:AllowOutOfOrder=true; or re-create it so that it sorts last. Nothing was migrated.");
        }

        logger.LogWarning("{Context}: applying {Migrations} out of order (after {Latest}), as Migrations:AllowOutOfOrder allows",
            name, string.Join(", ", early), latest);
    }

    private async Task<IReadOnlyList<string>> CheckDataLossAsync(DbContext context, List<string> toRevert, CancellationToken cancellationToken)
    {
        var assembly = context.GetService<IMigrationsAssembly>();
        var provider = context.Database.ProviderName!;
        var atRisk = DownMigrationDataLoss.Of(Enumerable.Reverse(toRevert)
            .Select(id => (id, assembly.CreateMigration(assembly.Migrations[id], provider))));
        var lost = new List<string>();
        foreach (var risk in atRisk)
        {
            switch (risk.CountSql is null ? null : await CountAsync(context, risk, cancellationToken))
            {
                case null:
                    lost.Add(risk.DescribeUncounted());
                    break;
                case > 0 and var count:
                    lost.Add(risk.Describe(count));
                    break;
            }
        }

        if (lost.Count > 0 && !options.AllowDataLoss)
        {
            throw new DataLossRefusedException(
                $"Refusing to migrate down: {string.Join("; ", lost)}. Nothing was changed. Keep a copy of that data, then run " +
                "again with --allow-data-loss (Migrations:AllowDataLoss=true).");
        }

        return lost;
    }

    /// <summary>
    /// What <paramref name="risk"/> would destroy: nothing when the table or column a drop names is already gone; null
    /// (not counted: consent needed) when a delete's or an update's count fails that way.
    /// </summary>
    private static async Task<long?> CountAsync(DbContext context, DataAtRisk risk, CancellationToken cancellationToken)
    {
        try
        {
            return (long)(await ScalarAsync(context, risk.CountSql!, cancellationToken))!;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.UndefinedColumn
                                              or PostgresErrorCodes.InvalidSchemaName or PostgresErrorCodes.UndefinedObject)
        {
            return risk.LosesNothingWhenAbsent ? 0 : null;
        }
    }

    private static Dictionary<string, string> Checksums(DbContext context, IEnumerable<string> ids)
    {
        var assembly = context.GetService<IMigrationsAssembly>();
        return ids.Where(assembly.Migrations.ContainsKey)
            .ToDictionary(id => id, id => MigrationChecksum.Of(assembly, context.Database.ProviderName!, id));
    }
}
