using System.ComponentModel.DataAnnotations;
using Data;

namespace WebApp;

/// <summary>
/// What a client may set on a to-do. The JSON API and the page's form both bind and validate this type, so the rules
/// below are the only copy of them.
/// </summary>
public sealed record TodoRequest
{
    /// <summary>Earliest due date accepted: catches typos such as 0225 for 2025 (PostgreSQL itself would take them).</summary>
    public const string EarliestDueDate = "2000-01-01";

    /// <summary>Latest due date accepted.</summary>
    public const string LatestDueDate = "2099-12-31";

    /// <summary>What needs doing: required, trimmed before it is stored, one line of printable text.</summary>
    [Required(ErrorMessage = "A title is required.")]
    [StringLength(TodoItem.TitleMaxLength, ErrorMessage = "A title has at most {1} characters.")]
    [PrintableText(ErrorMessage = "A title is one line of text: no tabs, line breaks or other control characters.")]
    public string? Title { get; init; }

    /// <summary>Whether it is done; a new to-do is open unless it says otherwise.</summary>
    public bool IsDone { get; init; }

    /// <summary>The day it is due, if any.</summary>
    [Range(typeof(DateOnly), EarliestDueDate, LatestDueDate,
        ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true,
        ErrorMessage = $"A due date lies between {EarliestDueDate} and {LatestDueDate}.")]
    public DateOnly? DueDate { get; init; }

    /// <summary>A new to-do with these values. Call only once the request is valid.</summary>
    public TodoItem ToTodoItem() => new() { Title = TrimmedTitle, IsDone = IsDone, DueDate = DueDate };

    /// <summary>Replaces every field a client may set. Call only once the request is valid.</summary>
    public void ApplyTo(TodoItem todo)
    {
        todo.Title = TrimmedTitle;
        todo.IsDone = IsDone;
        todo.DueDate = DueDate;
    }

    private string TrimmedTitle => Title?.Trim() ?? throw new InvalidOperationException("The request was not validated.");
}
