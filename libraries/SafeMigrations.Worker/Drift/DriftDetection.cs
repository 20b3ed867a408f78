using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using SafeMigrations.Readiness;

namespace SafeMigrations.Worker;

/// <summary>
/// <c>--drift</c> for one context: the live schema of its database against the schema its applied migrations build
/// (<see cref="MigratedSchema"/>, <see cref="LiveSchema"/>, <see cref="SchemaDrift"/>), the roles' ownership and
/// grants (<see cref="GrantDrift"/>), indexes left invalid and constraints never validated. Reads only.
/// </summary>
internal static class DriftDetection
{
    /// <param name="context">The context, its connection open.</param>
    /// <param name="others">The other registered contexts (their tables on a shared database are not extra).</param>
    /// <param name="webLogin">The web login, which names the web role.</param>
    /// <param name="ignored">The objects <c>Migrations:Drift:Ignore</c> lists.</param>
    /// <param name="cancellationToken">Cancels the queries.</param>
    /// <exception cref="InvalidArgumentsException">The database is ahead of this build: it cannot tell what the schema should be.</exception>
    public static async Task<DriftReport> DetectAsync(DbContext context, IReadOnlyList<DbContext> others, WebLogin webLogin,
        IReadOnlyCollection<string> ignored, CancellationToken cancellationToken)
    {
        var name = context.GetType().Name;
        var database = context.Database.GetDbConnection().Database;
        var known = context.Database.GetMigrations().ToList();
        var history = MigrationHistoryState.Of(known, await context.Database.GetAppliedMigrationsAsync(cancellationToken));
        if (history.Unknown.Count > 0)
        {
            throw new InvalidArgumentsException($"{name}: the database is ahead of this build ({string.Join(", ", history.Unknown)} applied, " +
                "unknown here), so this build cannot tell what its schema should be; run --drift with the build that applied them.");
        }

        var lastApplied = history.Applied.Count == 0 ? null : known.Last(history.Applied.Contains);
        var migrated = MigratedSchema.Of(context, lastApplied);
        var (workerSchema, workerTables) = HistoryTables.Unquoted(context);
        var schemas = migrated.Tables.Values.Select(t => t.Schema).Append(DriftNames.DefaultSchema).Append(workerSchema).ToHashSet();
        var (live, invalidIndexes, unvalidated) = await LiveSchema.ReadAsync(context, schemas, cancellationToken);

        var differences = SchemaDrift.Compare(migrated, live, NotExtra(context, others)).ToList();
        differences.AddRange(invalidIndexes.Select(index => new DriftDifference(index, "index is INVALID (a concurrent build failed): drop it and build it again")));
        differences.AddRange(unvalidated.Select(constraint => new DriftDifference(constraint, "constraint is NOT VALID: the rows before it were never checked")));
        if (lastApplied is not null)
        {
            var tables = migrated.Tables.Where(t => live.Tables.ContainsKey(t.Key))
                .Select(t => (t.Key, PostgresIdentifier.Quote(t.Value.Schema) + "." + PostgresIdentifier.Quote(t.Value.Name))).ToList();
            differences.AddRange(await GrantDrift.CompareAsync(context, DatabaseRoleNames.For(database, webLogin), tables,
                (HistoryTables.History(context), HistoryTables.Checksums(context), MigrationLock.Table(context)), cancellationToken));
        }

        var kept = differences.Where(d => !d.IsIgnored(ignored)).ToList();
        return new(name, database, lastApplied, kept, differences.Count - kept.Count);
    }

    /// <summary>Every context's worker tables, and the other contexts' own tables and sequences (as their current model has them).</summary>
    private static HashSet<string> NotExtra(DbContext context, IReadOnlyList<DbContext> others)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var each in others.Prepend(context))
        {
            var (schema, tables) = HistoryTables.Unquoted(each);
            names.UnionWith(tables.Select(t => DriftNames.Table(schema, t)));
        }

        foreach (var other in others)
        {
            var model = other.GetService<IDesignTimeModel>().Model.GetRelationalModel();
            var defaultSchema = model.Model.GetDefaultSchema() ?? DriftNames.DefaultSchema;
            names.UnionWith(model.Tables.Select(t => DriftNames.Table(t.Schema ?? defaultSchema, t.Name)));
            names.UnionWith(model.Sequences.Select(s => DriftNames.Table(s.Schema ?? defaultSchema, s.Name)));
        }

        return names;
    }
}
