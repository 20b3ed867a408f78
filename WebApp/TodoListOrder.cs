using Data;

namespace WebApp;

/// <summary>The order the page and the API list to-dos in; the index on (IsDone, DueDate) serves it.</summary>
public static class TodoListOrder
{
    /// <summary>Open before done, soonest due first (no due date last), then oldest first.</summary>
    public static IQueryable<TodoItem> InListOrder(this IQueryable<TodoItem> todos) =>
        todos.OrderBy(t => t.IsDone).ThenBy(t => t.DueDate).ThenBy(t => t.Id);
}
