using Data;

namespace WebApp;

/// <summary>A to-do as the JSON API returns it.</summary>
/// <param name="Id">Its id, as in <c>/api/todos/{id}</c>.</param>
/// <param name="Title">What needs doing.</param>
/// <param name="IsDone">Whether it is done.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
/// <param name="DueDate">The day it is due, if any.</param>
public sealed record TodoResponse(int Id, string Title, bool IsDone, DateTimeOffset CreatedAt, DateOnly? DueDate)
{
    /// <summary>The response for a stored to-do.</summary>
    public static TodoResponse From(TodoItem todo) => new(todo.Id, todo.Title, todo.IsDone, todo.CreatedAt, todo.DueDate);
}
