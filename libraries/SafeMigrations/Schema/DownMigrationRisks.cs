using Microsoft.EntityFrameworkCore.Migrations;
using SafeMigrations.Schema.Sql;

namespace SafeMigrations.Schema;

/// <summary>
/// What reverting a migration (running its Down) would destroy, read from its operations and its SQL, no database
/// needed: each loss with the query that counts it beforehand (or why it cannot be counted), and every statement the
/// reader cannot classify as harmless. Conservative: whatever is not known to be harmless is a loss or unclassified.
/// </summary>
/// <remarks>
/// <para>A statement is harmless when it drops no table, column or data: creating anything, dropping an index, a
/// constraint, a view, a function or a trigger (without <c>CASCADE</c>), renaming, <c>SELECT</c> and the like, as long
/// as every function it calls is a built-in known to change no data. <c>DROP TABLE</c>, <c>DROP COLUMN</c>, a retype,
/// <c>DELETE</c>, <c>UPDATE</c>, <c>TRUNCATE</c>, <c>DROP … CASCADE</c>, <c>DROP EXTENSION</c>, and EF Core's
/// <c>DropTable</c>, <c>DropColumn</c>, retyping <c>AlterColumn</c>, <c>DeleteData</c> and <c>UpdateData</c> are losses.
/// <c>EXECUTE</c> of SQL built at run time, calls of other functions and procedures, and statements or operations the
/// reader does not know are unclassified.</para>
/// <para>Counts are meant for the database as it is before the first Down runs. A count that an earlier statement
/// could make wrong is not offered: a drop after a rename of the same name, a <c>DELETE</c>, <c>UPDATE</c> or
/// <c>TRUNCATE</c> naming a table whose columns or rows an earlier statement changed. An <c>UPDATE</c> of columns that
/// an earlier statement added loses nothing (they hold only what the Down wrote).</para>
/// </remarks>
public sealed class DownMigrationRisks
{
    private DownMigrationRisks(Migration migration, IReadOnlyList<DataLoss> losses, IReadOnlyList<UnclassifiedStatement> unclassified) =>
        (Migration, Losses, Unclassified) = (migration, losses, unclassified);

    /// <summary>The migration whose Down was read.</summary>
    public Migration Migration { get; }

    /// <summary>What its Down destroys, in order, each with its count (or why it has none).</summary>
    public IReadOnlyList<DataLoss> Losses { get; }

    /// <summary>What its Down does that the reader cannot classify as harmless.</summary>
    public IReadOnlyList<UnclassifiedStatement> Unclassified { get; }

    /// <summary>Whether the Down is known to destroy nothing.</summary>
    public bool IsHarmless => Losses.Count == 0 && Unclassified.Count == 0;

    /// <summary>What running <paramref name="migration"/>'s Down would destroy.</summary>
    /// <param name="migration">The migration, with <see cref="Migration.ActiveProvider"/> set as EF Core sets it.</param>
    public static DownMigrationRisks Of(Migration migration)
    {
        ArgumentNullException.ThrowIfNull(migration);
        return Of([migration])[0];
    }

    /// <summary>
    /// What running the Downs of <paramref name="reverted"/> one after the other would destroy, one entry per migration:
    /// a later Down's counts take into account what the earlier ones change.
    /// </summary>
    /// <param name="reverted">The migrations in the order their Downs run (newest first).</param>
    public static IReadOnlyList<DownMigrationRisks> Of(IEnumerable<Migration> reverted)
    {
        ArgumentNullException.ThrowIfNull(reverted);
        var before = new MoveSoFar();
        var risks = new List<DownMigrationRisks>();
        foreach (var migration in reverted)
        {
            ArgumentNullException.ThrowIfNull(migration, nameof(reverted));
            var losses = new List<DataLoss>();
            var unclassified = new List<UnclassifiedStatement>();
            foreach (var reading in migration.DownOperations.SelectMany(OperationReader.Read))
            {
                if (reading.Unclassified is { } reason)
                {
                    unclassified.Add(new UnclassifiedStatement(reading.Statement, reason));
                }

                losses.AddRange(reading.Losses.Select(before.Counted).OfType<DataLoss>());
                before.Add(reading);
            }

            risks.Add(new DownMigrationRisks(migration, losses, unclassified));
        }

        return risks;
    }

    /// <summary>What the statements read so far change, that later counts depend on.</summary>
    private sealed class MoveSoFar
    {
        private readonly HashSet<string> _renamed = [];
        private readonly HashSet<string> _changed = [];
        private readonly HashSet<string> _addedColumns = [];

        public void Add(StatementReading reading)
        {
            _renamed.UnionWith(reading.Renamed);
            _changed.UnionWith(reading.Changed);
            _addedColumns.UnionWith(reading.AddedColumns);
        }

        /// <summary>The loss as the move meets it: without a count an earlier statement made wrong; null when it loses nothing.</summary>
        public DataLoss? Counted(PendingLoss pending)
        {
            if (pending.OverwrittenColumns is { Count: > 0 } columns && columns.All(_addedColumns.Contains))
            {
                return null;
            }

            var earlier = pending.ReadsRows ? _changed.Concat(_renamed) : _renamed;
            return earlier.FirstOrDefault(pending.Names.Contains) is { } name
                ? pending.Loss with
                {
                    CountSql = null,
                    NotCountedBecause = $"an earlier statement of the rollback {(pending.ReadsRows ? "changes" : "renames")} {name}, so a count taken before it would not hold",
                }
                : pending.Loss;
        }
    }
}
