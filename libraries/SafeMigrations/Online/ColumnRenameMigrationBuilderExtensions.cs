using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore.Migrations;

namespace SafeMigrations.Online;

/// <summary>
/// A column rename that never breaks the release still serving: expand (the new column beside the old, kept equal to it
/// by a trigger, existing rows copied in batches) in one release, contract (drop the old column) in a later one.
/// </summary>
/// <remarks>
/// <para>A one-step <c>RENAME COLUMN</c> makes the old name vanish under the release that still uses it. Between the two
/// steps both names exist and hold the same value, whichever name a release writes: the trigger copies a write of one to
/// the other (on insert, the one left NULL gets the other; on update, the one left unchanged follows the changed one).</para>
/// <para>Each step is safe to run twice (a migration with online steps is run again from the top after an
/// interruption). Names longer than PostgreSQL's 63 bytes are refused for the table and columns (PostgreSQL would
/// truncate them silently); the trigger's and function's name, made of all three, is shortened with a hash so that two
/// renames never share one.</para>
/// <para>The insert rule assumes the old column has no default: a default would fill it before the trigger runs, and a
/// release writing only the new name would leave the two different.</para>
/// </remarks>
public static class ColumnRenameMigrationBuilderExtensions
{
    private const int HashLength = 8;

    /// <summary>
    /// The expand step of renaming <paramref name="oldName"/> to <paramref name="newName"/>: adds <paramref name="newName"/>
    /// (nullable, no default: no table rewrite) and the trigger that keeps both equal, in the migration's short
    /// transaction; then copies the existing rows in batches (<see cref="BatchedBackfillMigrationBuilderExtensions.BackfillInBatches"/>).
    /// </summary>
    /// <remarks>
    /// Map the model's property to <paramref name="newName"/> in the same release; the release still serving keeps
    /// writing <paramref name="oldName"/> and the trigger carries it over. A <c>NOT NULL</c> on the new column belongs to
    /// the contract migration (<c>SetNotNullOnline</c>), once no running release can insert without it.
    /// </remarks>
    /// <param name="migrationBuilder">The migration's builder.</param>
    /// <param name="table">The table.</param>
    /// <param name="oldName">The column the previous release uses.</param>
    /// <param name="newName">The column this release uses.</param>
    /// <param name="columnType">The new column's store type, the old one's (e.g. <c>character varying(200)</c>).</param>
    /// <param name="batchSize">Most keys per batch of the copy.</param>
    /// <param name="keyColumn">A unique, indexed integer column (the primary key) that orders the batches.</param>
    public static MigrationBuilder ExpandColumnRename(this MigrationBuilder migrationBuilder, string table, string oldName,
        string newName, string columnType, int batchSize = 10_000, string keyColumn = "Id") =>
        AddSyncedColumn(migrationBuilder, new(table, oldName, newName), added: newName, source: oldName, columnType, batchSize, keyColumn);

    /// <summary>
    /// The contract step of the rename, a release (or more) after <see cref="ExpandColumnRename"/>: drops the trigger, its
    /// function and <paramref name="oldName"/>, in one short transaction (so no moment exists where the old column is
    /// still required and no longer filled). Mark the migration <c>[ExpandContractReviewed(DropsTableOrColumn, …)]</c>.
    /// </summary>
    /// <param name="migrationBuilder">The migration's builder.</param>
    /// <param name="table">The table.</param>
    /// <param name="oldName">The column no running release uses any more.</param>
    /// <param name="newName">The column that stays.</param>
    public static MigrationBuilder ContractColumnRename(this MigrationBuilder migrationBuilder, string table, string oldName, string newName) =>
        DropSyncedColumn(migrationBuilder, new(table, oldName, newName), dropped: oldName);

    /// <summary>The Down of <see cref="ExpandColumnRename"/>: drops the trigger, its function and <paramref name="newName"/>.</summary>
    /// <param name="migrationBuilder">The migration's builder.</param>
    /// <param name="table">The table.</param>
    /// <param name="oldName">The column that stays.</param>
    /// <param name="newName">The column the expand step added.</param>
    public static MigrationBuilder RevertExpandColumnRename(this MigrationBuilder migrationBuilder, string table, string oldName, string newName) =>
        DropSyncedColumn(migrationBuilder, new(table, oldName, newName), dropped: newName);

    /// <summary>
    /// The Down of <see cref="ContractColumnRename"/>: adds <paramref name="oldName"/> back (nullable), the trigger, and
    /// copies <paramref name="newName"/> into it in batches — the state the expand step left.
    /// </summary>
    /// <param name="migrationBuilder">The migration's builder.</param>
    /// <param name="table">The table.</param>
    /// <param name="oldName">The column the contract step dropped.</param>
    /// <param name="newName">The column that stayed.</param>
    /// <param name="columnType">The old column's store type.</param>
    /// <param name="batchSize">Most keys per batch of the copy.</param>
    /// <param name="keyColumn">A unique, indexed integer column (the primary key) that orders the batches.</param>
    public static MigrationBuilder RevertContractColumnRename(this MigrationBuilder migrationBuilder, string table, string oldName,
        string newName, string columnType, int batchSize = 10_000, string keyColumn = "Id") =>
        AddSyncedColumn(migrationBuilder, new(table, oldName, newName), added: oldName, source: newName, columnType, batchSize, keyColumn);

    /// <summary>The name of the trigger and of its function for a rename: <c>&lt;table&gt;_&lt;old&gt;_&lt;new&gt;_sync</c>, shortened to 63 bytes with a hash when longer.</summary>
    /// <param name="table">The table.</param>
    /// <param name="oldName">The old column.</param>
    /// <param name="newName">The new column.</param>
    public static string SyncTriggerName(string table, string oldName, string newName) => new Rename(table, oldName, newName).SyncName;

    private static MigrationBuilder AddSyncedColumn(MigrationBuilder migrationBuilder, Rename rename, string added, string source,
        string columnType, int batchSize, string keyColumn)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(columnType);
        var (table, oldColumn, newColumn) = rename.Quoted;
        var sync = PostgresIdentifier.Quote(rename.SyncName);

        migrationBuilder.Sql($"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {PostgresIdentifier.Quote(added)} {columnType};");
        migrationBuilder.Sql(
            $$"""
            CREATE OR REPLACE FUNCTION {{sync}}() RETURNS trigger LANGUAGE plpgsql AS $sync$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    IF NEW.{{newColumn}} IS NULL THEN
                        NEW.{{newColumn}} := NEW.{{oldColumn}};
                    ELSIF NEW.{{oldColumn}} IS NULL THEN
                        NEW.{{oldColumn}} := NEW.{{newColumn}};
                    END IF;
                ELSIF NEW.{{oldColumn}} IS DISTINCT FROM OLD.{{oldColumn}} AND NEW.{{newColumn}} IS NOT DISTINCT FROM OLD.{{newColumn}} THEN
                    NEW.{{newColumn}} := NEW.{{oldColumn}};
                ELSIF NEW.{{newColumn}} IS DISTINCT FROM OLD.{{newColumn}} AND NEW.{{oldColumn}} IS NOT DISTINCT FROM OLD.{{oldColumn}} THEN
                    NEW.{{oldColumn}} := NEW.{{newColumn}};
                END IF;
                RETURN NEW;
            END $sync$;
            """);
        migrationBuilder.Sql($"CREATE OR REPLACE TRIGGER {sync} BEFORE INSERT OR UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION {sync}();");

        // Rows the trigger has not seen: those written before it existed. A row it has seen is equal already.
        var target = PostgresIdentifier.Quote(added);
        var from = PostgresIdentifier.Quote(source);
        return migrationBuilder.BackfillInBatches(rename.Table, set: $"{target} = {from}", pending: $"{target} IS NULL AND {from} IS NOT NULL",
            batchSize, keyColumn);
    }

    private static MigrationBuilder DropSyncedColumn(MigrationBuilder migrationBuilder, Rename rename, string dropped)
    {
        var sync = PostgresIdentifier.Quote(rename.SyncName);
        var (table, _, _) = rename.Quoted;
        migrationBuilder.Sql(
            $"""
            DROP TRIGGER IF EXISTS {sync} ON {table};
            DROP FUNCTION IF EXISTS {sync}();
            ALTER TABLE {table} DROP COLUMN IF EXISTS {PostgresIdentifier.Quote(dropped)};
            """);
        return migrationBuilder;
    }

    /// <summary>A rename's three names, checked, and the name of its trigger and function.</summary>
    private sealed class Rename
    {
        public Rename(string table, string oldName, string newName)
        {
            Table = PostgresIdentifier.ThrowIfTooLong(table, nameof(table));
            OldName = PostgresIdentifier.ThrowIfTooLong(oldName, nameof(oldName));
            NewName = PostgresIdentifier.ThrowIfTooLong(newName, nameof(newName));
            if (oldName == newName)
            {
                throw new ArgumentException($"The new name must differ from the old one ('{oldName}').", nameof(newName));
            }
        }

        public string Table { get; }

        public string OldName { get; }

        public string NewName { get; }

        public (string Table, string OldName, string NewName) Quoted =>
            (PostgresIdentifier.Quote(Table), PostgresIdentifier.Quote(OldName), PostgresIdentifier.Quote(NewName));

        public string SyncName => Fit($"{Table}_{OldName}_{NewName}_sync");

        // PostgreSQL truncates longer names, so two long renames of one table could end up with one trigger: keep a
        // prefix (whole characters) and a hash of the whole name instead.
        private static string Fit(string name)
        {
            if (Encoding.UTF8.GetByteCount(name) <= PostgresIdentifier.MaxBytes)
            {
                return name;
            }

            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..HashLength];
            return $"{PostgresIdentifier.Truncate(name, PostgresIdentifier.MaxBytes - HashLength - 1)}_{hash}";
        }
    }
}
