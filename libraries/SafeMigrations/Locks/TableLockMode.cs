namespace SafeMigrations.Locks;

/// <summary>PostgreSQL's table-level lock modes, weakest first (see "Explicit Locking" in PostgreSQL's documentation).</summary>
public enum TableLockMode
{
    /// <summary>ACCESS SHARE: plain reads.</summary>
    AccessShare,

    /// <summary>ROW SHARE: <c>SELECT … FOR UPDATE</c>.</summary>
    RowShare,

    /// <summary>ROW EXCLUSIVE: INSERT, UPDATE, DELETE. Blocks no reader and no other writer (rows are locked one by one).</summary>
    RowExclusive,

    /// <summary>SHARE UPDATE EXCLUSIVE: <c>CREATE INDEX CONCURRENTLY</c>, <c>VALIDATE CONSTRAINT</c>. Blocks no reader or writer.</summary>
    ShareUpdateExclusive,

    /// <summary>SHARE: a plain <c>CREATE INDEX</c>. Blocks writes.</summary>
    Share,

    /// <summary>SHARE ROW EXCLUSIVE: <c>ADD FOREIGN KEY</c>, <c>CREATE TRIGGER</c>. Blocks writes.</summary>
    ShareRowExclusive,

    /// <summary>EXCLUSIVE: <c>REFRESH MATERIALIZED VIEW CONCURRENTLY</c>. Blocks writes.</summary>
    Exclusive,

    /// <summary>ACCESS EXCLUSIVE: most <c>ALTER TABLE</c>, <c>DROP</c>, <c>TRUNCATE</c>. Blocks reads and writes.</summary>
    AccessExclusive,
}

/// <summary>The lock modes as PostgreSQL names them.</summary>
public static class TableLockModes
{
    /// <summary><c>ACCESS EXCLUSIVE</c>, <c>SHARE</c>, … as in PostgreSQL's documentation and <c>pg_locks.mode</c> (without "Lock").</summary>
    public static string ToSql(this TableLockMode mode) => mode switch
    {
        TableLockMode.AccessShare => "ACCESS SHARE",
        TableLockMode.RowShare => "ROW SHARE",
        TableLockMode.RowExclusive => "ROW EXCLUSIVE",
        TableLockMode.ShareUpdateExclusive => "SHARE UPDATE EXCLUSIVE",
        TableLockMode.Share => "SHARE",
        TableLockMode.ShareRowExclusive => "SHARE ROW EXCLUSIVE",
        TableLockMode.Exclusive => "EXCLUSIVE",
        _ => "ACCESS EXCLUSIVE",
    };

    /// <summary>Whether the mode blocks the app's writes (INSERT, UPDATE, DELETE): SHARE and stronger.</summary>
    public static bool BlocksWrites(this TableLockMode mode) => mode >= TableLockMode.Share;

    /// <summary>Whether the mode blocks the app's reads too: ACCESS EXCLUSIVE only.</summary>
    public static bool BlocksReads(this TableLockMode mode) => mode == TableLockMode.AccessExclusive;
}
