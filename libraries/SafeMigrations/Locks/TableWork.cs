namespace SafeMigrations.Locks;

/// <summary>What a step does to a table's rows while it holds its lock: what its time depends on.</summary>
public enum TableWork
{
    /// <summary>The catalog only: done at once, whatever the table's size.</summary>
    None,

    /// <summary>Reads every row (<c>SET NOT NULL</c>, a check or foreign key validated).</summary>
    Scan,

    /// <summary>Builds an index over every row.</summary>
    IndexBuild,

    /// <summary>Writes every row into a new copy of the table, and rebuilds each of its indexes (a type change, a volatile default).</summary>
    Rewrite,

    /// <summary>Updates or deletes rows (each locked until the transaction ends).</summary>
    RowWrites,
}
