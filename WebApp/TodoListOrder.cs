using Data;

namespace WebApp;

/// <summary>The order the page and the API list to-dos in; the index on (IsDone, DueDate) serves it.</summary>
public static class TodoListOrder
{
    /// <summary>Open before done, soonest due first (no due date last), then oldest first.</summary>
    public static IQueryable<TodoItem> InListOrder(this IQueryable<TodoItem> todos) =>
        todos.OrderBy(t => t.IsDone).ThenBy(t => t.DueDate).ThenBy(t => t.Id);

    /// <summary>
    /// The to-dos that come after <paramref name="cursor"/> in <see cref="InListOrder"/>. PostgreSQL sorts a missing
    /// due date after every date (NULLS LAST is the default of ascending order), and the predicate says the same.
    /// </summary>
    public static IQueryable<TodoItem> After(this IQueryable<TodoItem> todos, TodoCursor cursor)
    {
        var (isDone, dueDate, id) = cursor;
        return dueDate is { } due
            ? todos.Where(t => (t.IsDone == isDone
                                && (t.DueDate > due || t.DueDate == null || (t.DueDate == due && t.Id > id)))
                               || (!isDone && t.IsDone))
            : todos.Where(t => (t.IsDone == isDone && t.DueDate == null && t.Id > id) || (!isDone && t.IsDone));
    }
}
