using Microsoft.EntityFrameworkCore.Migrations;

namespace SafeMigrations.Online;

/// <summary>
/// Data changes on large tables in bounded batches, each committed on its own, resumable after any interruption.
/// </summary>
public static class BatchedBackfillMigrationBuilderExtensions
{
    /// <summary>
    /// Runs <c>UPDATE table SET <paramref name="set"/> WHERE <paramref name="pending"/></c> in batches of at most
    /// <paramref name="batchSize"/> consecutive keys, committing after each batch, outside the migration's transaction.
    /// </summary>
    /// <remarks>
    /// <para>Locks: each batch holds its rows' locks (and the table's ROW EXCLUSIVE lock, which blocks no reader or writer)
    /// only until its commit, so a concurrent writer waits at most one batch.</para>
    /// <para>Exactly once: a row is updated only while <paramref name="pending"/> holds for it, and the update must make it
    /// false (<c>"X" IS NULL</c> / <c>SET "X" = …</c>). A run that is killed loses at most the batch in flight (rolled back
    /// whole); the next run starts again at the first pending row. No batch is applied twice, none is skipped.</para>
    /// <para>Timeouts: PostgreSQL runs the loop as one statement, so <c>statement_timeout</c> bounds the whole backfill
    /// (what it committed stays; the next run resumes), and <c>lock_timeout</c> bounds each wait for a row lock.</para>
    /// <para>Each batch reports its progress (<c>RAISE INFO</c>). Reporting to a client that is gone ends the session
    /// (the first write to a closed connection may still succeed, the next fails), so a backfill outlives a killed
    /// worker by a few batches, which commit as usual.</para>
    /// </remarks>
    /// <param name="migrationBuilder">The migration's builder.</param>
    /// <param name="table">The table.</param>
    /// <param name="set">The assignments, as SQL (e.g. <c>"UpdatedAt" = "CreatedAt"</c>).</param>
    /// <param name="pending">The condition of a row still to do, as SQL (e.g. <c>"UpdatedAt" IS NULL</c>).</param>
    /// <param name="batchSize">Most keys per batch; the batch's duration is the longest any writer waits.</param>
    /// <param name="keyColumn">A unique, indexed integer column (the primary key) that orders the batches.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static MigrationBuilder BackfillInBatches(
        this MigrationBuilder migrationBuilder, string table, string set, string pending, int batchSize = 10_000, string keyColumn = "Id")
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        PostgresIdentifier.ThrowIfTooLong(table, nameof(table));
        ArgumentException.ThrowIfNullOrWhiteSpace(set);
        ArgumentException.ThrowIfNullOrWhiteSpace(pending);
        PostgresIdentifier.ThrowIfTooLong(keyColumn, nameof(keyColumn));
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var name = PostgresIdentifier.Quote(table);
        var key = PostgresIdentifier.Quote(keyColumn);

        // PL/pgSQL may COMMIT inside a DO block run on its own (not in a transaction block): hence suppressTransaction.
        migrationBuilder.Sql(
            $$"""
            DO $backfill$
            DECLARE
                batch_start bigint;
                batch_end bigint;
                updated bigint;
                started timestamptz;
            BEGIN
                SELECT min({{key}}) INTO batch_start FROM {{name}} WHERE {{pending}};
                WHILE batch_start IS NOT NULL LOOP
                    started := clock_timestamp();
                    batch_end := batch_start + {{batchSize}};
                    UPDATE {{name}} SET {{set}}
                    WHERE {{key}} >= batch_start AND {{key}} < batch_end AND ({{pending}});
                    GET DIAGNOSTICS updated = ROW_COUNT;
                    COMMIT;
                    RAISE INFO 'Backfill of %: % row(s) with % in [%, %) in % ms', {{PostgresIdentifier.Literal(table)}}, updated,
                        {{PostgresIdentifier.Literal(keyColumn)}}, batch_start, batch_end,
                        round(extract(epoch FROM clock_timestamp() - started) * 1000);
                    -- The next key that exists: gaps in the keys cost one index probe, not empty batches.
                    SELECT min({{key}}) INTO batch_start FROM {{name}} WHERE {{key}} >= batch_end;
                END LOOP;
            END $backfill$;
            """,
            suppressTransaction: true);
        return migrationBuilder;
    }
}
