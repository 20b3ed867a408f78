namespace SafeMigrations.Locks;

/// <summary>One step of a migration on one existing table: the lock it takes and what it does while holding it.</summary>
/// <param name="Statement">The operation's name or the SQL statement's first words, for people.</param>
/// <param name="Schema">The table's schema, when the migration names one.</param>
/// <param name="Table">The table.</param>
/// <param name="Lock">The strongest table lock the step takes on it.</param>
/// <param name="Work">What it does to the rows meanwhile.</param>
/// <param name="Index">
/// For a step that names only an index (<c>DROP INDEX</c>): the index; <paramref name="Table"/> is then empty, to be
/// found from the live database (<see cref="OnTable"/>).
/// </param>
/// <param name="Batched">
/// Row writes committed in batches (a <c>DO</c> block that commits as it goes, such as <c>BackfillInBatches</c>): each
/// row is locked for one batch, not for the whole step.
/// </param>
public sealed record LockStep(string Statement, string? Schema, string Table, TableLockMode Lock, TableWork Work, bool Batched = false, string? Index = null)
{
    /// <summary>The step on <paramref name="table"/>, once the table of its <see cref="Index"/> is known.</summary>
    public LockStep OnTable(string? schema, string table) => this with { Schema = schema, Table = table };

    /// <summary>
    /// Whether the app's reads or writes of the table wait while the step runs: a lock of SHARE or stronger, or rows
    /// written and kept locked until one transaction ends.
    /// </summary>
    public bool BlocksApp => Lock.BlocksWrites() || Work == TableWork.RowWrites && !Batched;

    /// <summary><c>Todos</c>, or with the schema when there is one.</summary>
    public string Target => Table.Length == 0 ? $"the table of index {Index}" : (Schema is null ? "" : Schema + ".") + Table;
}
