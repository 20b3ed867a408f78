namespace SafeMigrations.Worker;

/// <summary>One difference <c>--drift</c> found between the live schema and what the applied migrations build.</summary>
/// <param name="Object">
/// The object it is about, as <c>Migrations:Drift:Ignore</c> names it: a table (<c>Todos</c>, <c>sales.Orders</c>), or a
/// table's column, index or constraint (<c>Todos.Note</c>), or a sequence.
/// </param>
/// <param name="Description">What differs, for people.</param>
internal sealed record DriftDifference(string Object, string Description)
{
    /// <summary>Whether <paramref name="ignored"/> lists this object, or the table it belongs to.</summary>
    public bool IsIgnored(IReadOnlyCollection<string> ignored) =>
        ignored.Any(name => Object == name || Object.StartsWith(name + ".", StringComparison.Ordinal));

    /// <inheritdoc />
    public override string ToString() => $"{Object}: {Description}";
}
