using Microsoft.EntityFrameworkCore.Migrations;

namespace SafeMigrations.Online;

/// <summary>
/// <c>NOT NULL</c> on a large table without holding its ACCESS EXCLUSIVE lock through a full scan.
/// </summary>
public static class OnlineNotNullMigrationBuilderExtensions
{
    /// <summary>
    /// Makes <paramref name="column"/> NOT NULL in short steps, each its own transaction and safe to run again:
    /// a <c>CHECK (… IS NOT NULL) NOT VALID</c> constraint (brief lock, no scan); <c>VALIDATE CONSTRAINT</c> (scans under
    /// SHARE UPDATE EXCLUSIVE, which blocks no reader or writer); <c>SET NOT NULL</c>, which PostgreSQL 12+ proves
    /// from the valid constraint without a scan; dropping the constraint (brief lock).
    /// </summary>
    /// <remarks>
    /// Run it after the backfill that leaves no NULL behind; rows written meanwhile are checked as they come. The
    /// constraint is named <c>CK_&lt;table&gt;_&lt;column&gt;_NotNull</c>, cut to PostgreSQL's 63 bytes when longer.
    /// </remarks>
    /// <param name="migrationBuilder">The migration's builder.</param>
    /// <param name="table">The table.</param>
    /// <param name="column">The column.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static MigrationBuilder SetNotNullOnline(this MigrationBuilder migrationBuilder, string table, string column)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        PostgresIdentifier.ThrowIfTooLong(table, nameof(table));
        PostgresIdentifier.ThrowIfTooLong(column, nameof(column));
        var name = PostgresIdentifier.Quote(table);
        var quotedColumn = PostgresIdentifier.Quote(column);
        var regclass = PostgresIdentifier.RegclassLiteral(table);
        // The name PostgreSQL stores: every catalog check below must look for that one, not the longer one written.
        var checkName = PostgresIdentifier.Truncate($"CK_{table}_{column}_NotNull");
        var check = PostgresIdentifier.Quote(checkName);
        var nullable = $"EXISTS (SELECT FROM pg_attribute WHERE attrelid = to_regclass({regclass}) " +
                       $"AND attname = {PostgresIdentifier.Literal(column)} AND NOT attnotnull)";
        var constraint = $"SELECT FROM pg_constraint WHERE conrelid = to_regclass({regclass}) AND conname = {PostgresIdentifier.Literal(checkName)}";

        ConditionalStatement.Add(migrationBuilder, $"{nullable} AND NOT EXISTS ({constraint})",
            $"ALTER TABLE {name} ADD CONSTRAINT {check} CHECK ({quotedColumn} IS NOT NULL) NOT VALID;");
        ConditionalStatement.Add(migrationBuilder, $"EXISTS ({constraint} AND NOT convalidated)",
            $"ALTER TABLE {name} VALIDATE CONSTRAINT {check};");
        ConditionalStatement.Add(migrationBuilder, nullable, $"ALTER TABLE {name} ALTER COLUMN {quotedColumn} SET NOT NULL;");
        ConditionalStatement.Add(migrationBuilder, $"EXISTS ({constraint})", $"ALTER TABLE {name} DROP CONSTRAINT {check};");
        return migrationBuilder;
    }
}
