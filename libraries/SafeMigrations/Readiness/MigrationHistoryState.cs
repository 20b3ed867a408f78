namespace SafeMigrations.Readiness;

/// <summary>What a database's migrations history holds, against the migrations of this build.</summary>
/// <param name="Applied">The migrations the history records, oldest first.</param>
/// <param name="Pending">This build's migrations the history lacks, oldest first: the schema is behind the build.</param>
/// <param name="Unknown">Applied migrations this build does not have (a newer release applied them), oldest first.</param>
public sealed record MigrationHistoryState(IReadOnlyList<string> Applied, IReadOnlyList<string> Pending, IReadOnlyList<string> Unknown)
{
    /// <summary>Compares <paramref name="applied"/> with <paramref name="build"/>, as EF Core compares ids: ordinally, ignoring case.</summary>
    /// <param name="build">This build's migrations (<c>context.Database.GetMigrations()</c>).</param>
    /// <param name="applied">The history's migrations (<c>context.Database.GetAppliedMigrations()</c>).</param>
    public static MigrationHistoryState Of(IEnumerable<string> build, IEnumerable<string> applied)
    {
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(applied);
        var comparer = StringComparer.OrdinalIgnoreCase;
        var known = build.Order(comparer).ToList();
        var recorded = applied.Order(comparer).ToList();
        return new MigrationHistoryState(
            recorded,
            [.. known.Except(recorded, comparer)],
            [.. recorded.Except(known, comparer)]);
    }
}
