namespace SafeMigrations.Schema.Sql;

/// <summary>
/// What one statement (or one EF Core operation) does, as read: its schema changes, the data it destroys, or why it
/// cannot be classified; and what it changes that later statements' counts depend on.
/// </summary>
/// <param name="Statement">Its first words, or the operation's name.</param>
internal sealed class StatementReading(string Statement)
{
    /// <summary>Its first words, or the operation's name.</summary>
    public string Statement { get; } = Statement;

    /// <summary>The schema changes it makes (for the expand/contract check).</summary>
    public List<SchemaChange> Changes { get; } = [];

    /// <summary>The data it destroys.</summary>
    public List<PendingLoss> Losses { get; } = [];

    /// <summary>Why it cannot be classified as harmless; null when it can.</summary>
    public string? Unclassified { get; set; }

    /// <summary>Names (tables, columns' tables, schemas, types, …) it renames, old and new.</summary>
    public HashSet<string> Renamed { get; } = [];

    /// <summary>Tables whose columns or rows it changes.</summary>
    public HashSet<string> Changed { get; } = [];

    /// <summary>Columns it adds, <c>table.column</c>.</summary>
    public HashSet<string> AddedColumns { get; } = [];

    /// <summary>Marks the statement unclassified (the first reason stands).</summary>
    public StatementReading Refuse(string reason)
    {
        Unclassified ??= reason;
        return this;
    }
}

/// <summary>A loss as read from one statement, before what earlier statements changed is taken into account.</summary>
/// <param name="Loss">The loss, with its count.</param>
/// <param name="Names">
/// The names its count depends on: the dropped objects for a drop (an earlier rename of one makes the count wrong), the
/// names the statement mentions for a <c>DELETE</c>, <c>UPDATE</c> or <c>TRUNCATE</c> (earlier changes to any make it wrong).
/// </param>
/// <param name="OverwrittenColumns">For an <c>UPDATE</c>: <c>table.column</c> of each column it sets.</param>
internal sealed record PendingLoss(DataLoss Loss, IReadOnlySet<string> Names, IReadOnlyList<string>? OverwrittenColumns = null)
{
    /// <summary>Whether the count reads rows that earlier statements may have changed (DELETE, UPDATE, TRUNCATE).</summary>
    public bool ReadsRows => Loss.Kind is DataLossKind.DeleteRows or DataLossKind.OverwriteValues or DataLossKind.Truncate;
}
