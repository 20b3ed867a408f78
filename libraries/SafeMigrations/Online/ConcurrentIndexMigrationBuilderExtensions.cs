using Microsoft.EntityFrameworkCore.Migrations;

namespace SafeMigrations.Online;

/// <summary>
/// Index builds and drops that block neither reads nor writes: <c>CREATE INDEX CONCURRENTLY</c> and
/// <c>DROP INDEX CONCURRENTLY</c>, outside the migration's transaction, safe to run again after any interruption.
/// </summary>
/// <remarks>
/// A migration that uses these runs its steps as separate transactions; if it is interrupted, the next run starts it
/// from the top, so every step of it must be safe to run twice (these are).
/// </remarks>
public static class ConcurrentIndexMigrationBuilderExtensions
{
    private const string LeftoverSuffix = "_invalid";

    /// <summary>
    /// Builds <paramref name="name"/> on <paramref name="table"/> with <c>CREATE INDEX CONCURRENTLY IF NOT EXISTS</c>.
    /// An INVALID index of that name, left by a build that was killed, cancelled or timed out, is dropped and built again.
    /// </summary>
    /// <param name="migrationBuilder">The migration's builder.</param>
    /// <param name="name">The index name, as in the model (e.g. <c>IX_Todos_UpdatedAt</c>).</param>
    /// <param name="table">The table.</param>
    /// <param name="columns">The indexed columns, in order (names, quoted here).</param>
    /// <param name="unique">Whether the index is unique.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static MigrationBuilder CreateIndexConcurrently(
        this MigrationBuilder migrationBuilder, string name, string table, string[] columns, bool unique = false)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        PostgresIdentifier.ThrowIfTooLong(name, nameof(name));
        PostgresIdentifier.ThrowIfTooLong(table, nameof(table));
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Length == 0 || columns.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("An index needs at least one column, and every column a name.", nameof(columns));
        }

        var index = PostgresIdentifier.Quote(name);
        var leftover = LeftoverName(name);

        // IF NOT EXISTS would keep an INVALID index, so move one out of the way first. Renaming locks the index only
        // (SHARE UPDATE EXCLUSIVE), not the table; DROP INDEX CONCURRENTLY cannot run inside this DO block.
        ConditionalStatement.Add(migrationBuilder,
            $"EXISTS (SELECT FROM pg_index WHERE indexrelid = to_regclass({PostgresIdentifier.RegclassLiteral(name)}) AND NOT indisvalid)",
            $"ALTER INDEX {index} RENAME TO {PostgresIdentifier.Quote(leftover)};");

        // One lock-timeout suspension around both statements, not DropIndexConcurrently's own: the checksums of applied
        // migrations cover the SQL written here, so it must stay as it was.
        SessionLockTimeout.Suspend(migrationBuilder);
        AddDropStatement(migrationBuilder, leftover);
        migrationBuilder.Sql(
            $"CREATE {(unique ? "UNIQUE " : "")}INDEX CONCURRENTLY IF NOT EXISTS {index} ON {PostgresIdentifier.Quote(table)} " +
            $"({string.Join(", ", columns.Select(PostgresIdentifier.Quote))});",
            suppressTransaction: true);
        SessionLockTimeout.Restore(migrationBuilder);
        return migrationBuilder;
    }

    /// <summary>
    /// Drops <paramref name="name"/> with <c>DROP INDEX CONCURRENTLY IF EXISTS</c>: readers and writers of its table go
    /// on meanwhile. A drop that was killed, cancelled or timed out leaves the index INVALID (no query uses it); running
    /// this again finishes it, and does nothing once the index is gone.
    /// </summary>
    /// <param name="migrationBuilder">The migration's builder.</param>
    /// <param name="name">The index name, as in the model (e.g. <c>IX_Todos_IsDone_DueDate</c>).</param>
    public static MigrationBuilder DropIndexConcurrently(this MigrationBuilder migrationBuilder, string name)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        PostgresIdentifier.ThrowIfTooLong(name, nameof(name));
        SessionLockTimeout.Suspend(migrationBuilder);
        AddDropStatement(migrationBuilder, name);
        SessionLockTimeout.Restore(migrationBuilder);
        return migrationBuilder;
    }

    private static void AddDropStatement(MigrationBuilder migrationBuilder, string name) =>
        migrationBuilder.Sql($"DROP INDEX CONCURRENTLY IF EXISTS {PostgresIdentifier.Quote(name)};", suppressTransaction: true);

    // Within PostgreSQL's 63 bytes with its suffix, so that the leftover's name is the one stored and never collides.
    private static string LeftoverName(string name) =>
        PostgresIdentifier.Truncate(name, PostgresIdentifier.MaxBytes - LeftoverSuffix.Length) + LeftoverSuffix;
}
