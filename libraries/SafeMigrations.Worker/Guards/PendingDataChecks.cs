using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Npgsql;
using static SafeMigrations.PostgresIdentifier;

namespace SafeMigrations.Worker;

/// <summary>
/// What a pending migration needs of the data there is, read from its operations (no database needed): a unique index
/// or constraint needs no duplicates, <c>SET NOT NULL</c> no NULL, a foreign key no orphan, a check constraint no row
/// for which it is false, a narrowed string column no longer value. Each check is one read-only
/// count, run before anything moves, so a migration that would fail on the data is refused with the count instead of
/// failing half-way through a deployment. A table or column that does not exist yet (an earlier pending migration
/// creates it) holds nothing to check. SQL and data operations are not read, and nothing after the first of them is
/// checked: it may be what fixes the data (a DELETE of duplicates before a unique index), which the data as it is now
/// cannot show.
/// </summary>
internal static class PendingDataChecks
{
    /// <summary>
    /// Runs the checks of <paramref name="toApply"/> (ids, oldest first) on the context's open session: each check with
    /// its count, or null when its table or columns do not exist yet (an earlier pending migration creates them).
    /// </summary>
    public static async Task<IReadOnlyList<DataCheckResult>> RunAsync(DbContext context, IEnumerable<string> toApply, CancellationToken cancellationToken)
    {
        var assembly = context.GetService<IMigrationsAssembly>();
        var provider = context.Database.ProviderName!;
        var results = new List<DataCheckResult>();
        foreach (var check in Of(toApply.Select(id => (id, assembly.CreateMigration(assembly.Migrations[id], provider)))))
        {
            var exists = (bool)(await ScalarAsync(context, $"SELECT {check.ExistsSql}", cancellationToken))!;
            results.Add(new(check, exists ? await CountAsync(context, check, cancellationToken) : null));
        }

        return results;
    }

    // A check constraint's condition may name a column an earlier pending migration adds: not there, nothing to count.
    private static async Task<long?> CountAsync(DbContext context, DataCheck check, CancellationToken cancellationToken)
    {
        try
        {
            return (long)(await ScalarAsync(context, check.CountSql, cancellationToken))!;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedColumn or PostgresErrorCodes.UndefinedFunction)
        {
            return null;
        }
    }

    private static async Task<object?> ScalarAsync(DbContext context, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, (NpgsqlConnection)context.Database.GetDbConnection());
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <summary>The checks of <paramref name="pending"/> (oldest first, as they would run).</summary>
    public static IReadOnlyList<DataCheck> Of(IEnumerable<(string Id, Migration Migration)> pending)
    {
        var checks = new List<DataCheck>();
        foreach (var (id, migration) in pending)
        {
            foreach (var operation in migration.UpOperations)
            {
                if (operation is SqlOperation or InsertDataOperation or UpdateDataOperation or DeleteDataOperation)
                {
                    return checks;
                }

                checks.AddRange(Of(MigrationId.Name(id), operation));
            }
        }

        return checks;
    }

    private static IEnumerable<DataCheck> Of(string migration, MigrationOperation operation)
    {
        switch (operation)
        {
            case CreateIndexOperation { IsUnique: true } index:
                yield return Unique(migration, $"unique index on {Target(index.Schema, index.Table, index.Columns)}", index.Schema, index.Table, index.Columns, index.Filter);
                break;
            case AddUniqueConstraintOperation unique:
                yield return Unique(migration, $"unique constraint on {Target(unique.Schema, unique.Table, unique.Columns)}", unique.Schema, unique.Table, unique.Columns, null);
                break;
            case AddPrimaryKeyOperation key:
                yield return Unique(migration, $"primary key on {Target(key.Schema, key.Table, key.Columns)}", key.Schema, key.Table, key.Columns, null);
                break;
            // A default fills new rows, not NULLs already there: EF Core's ALTER COLUMN … SET NOT NULL fails on them.
            case AlterColumnOperation { IsNullable: false, OldColumn.IsNullable: true } column:
                yield return new DataCheck(migration, $"SET NOT NULL on {Target(column.Schema, column.Table, [column.Name])}",
                    $"SELECT count(*) FROM {Table(column.Schema, column.Table)} WHERE {Quote(column.Name)} IS NULL",
                    Exists(column.Schema, column.Table, [column.Name]), "NULL value(s)");
                break;
            case AddForeignKeyOperation { PrincipalColumns: not null } key:
                yield return ForeignKey(migration, key);
                break;
            // A row for which the condition is false fails it (NULL passes, as in PostgreSQL). The condition's columns
            // are not known here: a count that fails on a column not there yet counts nothing (MigrationGuards).
            case AddCheckConstraintOperation check:
                yield return new DataCheck(migration, $"check constraint {check.Name} on {Target(check.Schema, check.Table, [])}",
                    $"SELECT count(*) FROM {Table(check.Schema, check.Table)} WHERE NOT ({check.Sql})",
                    Exists(check.Schema, check.Table, []), "row(s) violating it");
                break;
        }

        if (operation is AlterColumnOperation altered && NarrowedLength(altered) is { } length)
        {
            yield return new DataCheck(migration, $"narrowing {Target(altered.Schema, altered.Table, [altered.Name])} to {length} characters",
                $"SELECT count(*) FROM {Table(altered.Schema, altered.Table)} WHERE length({Quote(altered.Name)}) > {length}",
                Exists(altered.Schema, altered.Table, [altered.Name]), "longer value(s)");
        }
    }

    /// <summary>The new maximum length of a string column whose maximum shrinks (or appears), else null.</summary>
    private static int? NarrowedLength(AlterColumnOperation column)
    {
        var length = column.MaxLength ?? LengthOf(column.ColumnType);
        var before = column.OldColumn.MaxLength ?? LengthOf(column.OldColumn.ColumnType);
        return length is { } n && (before is null || n < before) && column.OldColumn.ClrType == typeof(string) ? n : null;
    }

    // character varying(200), varchar(200), character(8), char(8): the number; anything else (text): none.
    private static int? LengthOf(string? columnType) =>
        columnType is not null && System.Text.RegularExpressions.Regex.Match(columnType, @"^\s*(character varying|varchar|character|char)\s*\((\d+)\)\s*$",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase) is { Success: true } match
            ? int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)
            : null;

    private static DataCheck Unique(string migration, string what, string? schema, string table, string[] columns, string? filter)
    {
        // NULLs are distinct in a unique index (PostgreSQL's default): rows with one are never duplicates.
        var notNull = string.Join(" AND ", columns.Select(c => $"{Quote(c)} IS NOT NULL"));
        var where = filter is null ? notNull : $"{notNull} AND ({filter})";
        return new DataCheck(migration, what,
            $"SELECT count(*) FROM (SELECT 1 FROM {Table(schema, table)} WHERE {where} GROUP BY {string.Join(", ", columns.Select(Quote))} HAVING count(*) > 1) d",
            Exists(schema, table, columns), "duplicate value(s)");
    }

    private static DataCheck ForeignKey(string migration, AddForeignKeyOperation key)
    {
        var principal = Table(key.PrincipalSchema ?? key.Schema, key.PrincipalTable);
        var matches = string.Join(" AND ", key.Columns.Zip(key.PrincipalColumns!, (c, p) => $"p.{Quote(p)} = c.{Quote(c)}"));
        // MATCH SIMPLE, PostgreSQL's default: a row with a NULL in the key references nothing.
        var notNull = string.Join(" AND ", key.Columns.Select(c => $"c.{Quote(c)} IS NOT NULL"));
        return new DataCheck(migration, $"foreign key from {Target(key.Schema, key.Table, key.Columns)} to {key.PrincipalTable}",
            $"SELECT count(*) FROM {Table(key.Schema, key.Table)} c WHERE {notNull} AND NOT EXISTS (SELECT FROM {principal} p WHERE {matches})",
            $"{Exists(key.Schema, key.Table, key.Columns)} AND {Exists(key.PrincipalSchema ?? key.Schema, key.PrincipalTable, key.PrincipalColumns!)}",
            "row(s) referencing nothing");
    }

    private static string Table(string? schema, string table) => schema is null ? Quote(table) : $"{Quote(schema)}.{Quote(table)}";

    private static string Target(string? schema, string table, string[] columns) =>
        $"{(schema is null ? "" : schema + ".")}{table}{columns.Length switch { 0 => "", 1 => "." + columns[0], _ => $".({string.Join(", ", columns)})" }}";

    // Whether the table and every column exist now: a query for the check to run only then.
    private static string Exists(string? schema, string table, string[] columns) =>
        $"to_regclass({Literal(Table(schema, table))}) IS NOT NULL AND (SELECT count(*) FROM pg_attribute WHERE attrelid = to_regclass({Literal(Table(schema, table))}) AND NOT attisdropped " +
        $"AND attname = ANY (ARRAY[{string.Join(", ", columns.Select(Literal))}]::text[])) = {columns.Length}";
}

/// <summary>One read-only count a pending migration needs to be 0.</summary>
/// <param name="Migration">The migration's name.</param>
/// <param name="What">What needs it: <c>unique index on Todos.Title</c>.</param>
/// <param name="CountSql">The count.</param>
/// <param name="ExistsSql">A condition, true when the table and columns exist now: else the count is not run (it would not parse).</param>
/// <param name="Unit">What is counted: <c>duplicate value(s)</c>.</param>
internal sealed record DataCheck(string Migration, string What, string CountSql, string ExistsSql, string Unit)
{
    /// <summary>The refusal's clause: <c>AddUniqueTitle: unique index on Todos.Title would fail: 12 duplicate value(s)</c>.</summary>
    public string Describe(long count) => $"{Migration}: {What} would fail: {count} {Unit}";
}

/// <summary>A data check run: its count, or null when what it counts does not exist yet.</summary>
/// <param name="Check">The check.</param>
/// <param name="Count">The rows that would make the migration fail; null: not counted (its table or column is made by an earlier pending migration).</param>
internal sealed record DataCheckResult(DataCheck Check, long? Count)
{
    /// <summary>The refusal's clause, or what <c>--plan</c> says of a check that passes or cannot run yet.</summary>
    public string Describe() => Count switch
    {
        > 0 and var count => Check.Describe(count),
        0 => $"{Check.Migration}: {Check.What}: passes",
        _ => $"{Check.Migration}: {Check.What}: not checked (made by an earlier pending migration)",
    };
}
