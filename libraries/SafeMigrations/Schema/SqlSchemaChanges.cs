using SafeMigrations.Schema.Sql;

namespace SafeMigrations.Schema;

/// <summary>
/// Recognises the schema changes in hand-written migration SQL: <c>CREATE/DROP TABLE</c>, <c>CREATE INDEX</c>, and the
/// actions of <c>ALTER TABLE</c> (add, drop, rename, retype a column, <c>SET NOT NULL</c>, <c>SET DEFAULT</c>).
/// </summary>
/// <remarks>
/// Statements are read as PostgreSQL splits them (strings in every quoting, dollar-quoted bodies, nested comments),
/// also inside <c>DO</c> blocks and in <c>EXECUTE</c> of a constant string. SQL built at run time
/// (<c>EXECUTE format(…)</c>) is not seen: the data-loss guard refuses it without consent (<see cref="DownMigrationRisks"/>);
/// for the expand/contract check, review it by hand.
/// </remarks>
public static class SqlSchemaChanges
{
    /// <summary>The changes <paramref name="sql"/> makes, in order of appearance.</summary>
    /// <param name="sql">One or more statements, as passed to <c>migrationBuilder.Sql(…)</c>.</param>
    public static IReadOnlyList<SchemaChange> Of(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        return [.. SqlReader.Read(sql).SelectMany(r => r.Changes)];
    }
}
