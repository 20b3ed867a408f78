namespace Data;

/// <summary>One entry of the to-do list.</summary>
public sealed class TodoItem
{
    /// <summary>Longest title accepted; the column is sized to it.</summary>
    public const int TitleMaxLength = 200;

    public int Id { get; set; }

    public required string Title { get; set; }

    public bool IsDone { get; set; }

    /// <summary>When the row was created, in UTC; the database fills it in.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The day the to-do is due, if any. Added by the second migration.</summary>
    public DateOnly? DueDate { get; set; }

    /// <summary>
    /// When the row last changed, in UTC. The database keeps it (a default on insert, a trigger on update), so every
    /// writer — this release and the one before it — keeps it right. Added by the third migration.
    /// </summary>
    public DateTimeOffset UpdatedAt { get; set; }
}
