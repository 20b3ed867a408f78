using Data;
using Microsoft.EntityFrameworkCore;

namespace WebApp;

/// <summary>
/// The order the page and the API list to-dos in. The index on (IsDone, DueDate, Id) holds the rows in exactly this
/// order, so a page is one short walk along it, wherever the page starts.
/// </summary>
public static class TodoListOrder
{
    /// <summary>Open before done, soonest due first (no due date last), then oldest first.</summary>
    public static IQueryable<TodoItem> InListOrder(this IQueryable<TodoItem> todos) =>
        todos.OrderBy(t => t.IsDone).ThenBy(t => t.DueDate).ThenBy(t => t.Id);

    /// <summary>
    /// The to-dos that come after <paramref name="cursor"/> in <see cref="InListOrder"/>, for a page of at most
    /// <see cref="TodoListPage.MaxLimit"/> + 1 rows. PostgreSQL sorts a missing due date after every date (NULLS LAST
    /// is the default of ascending order), and the predicate says the same.
    /// </summary>
    /// <remarks>
    /// Written as the runs of the list that follow the cursor, in list order, each one range of the index: the rest of
    /// the cursor's dated rows (a row-value comparison, which the index seeks to), the undated rows of its status, then
    /// the done rows after open ones. PostgreSQL merges the runs in order (Merge Append) and stops once the page is full.
    /// No single predicate says this as one range: with OR the index is only a filter, and every row before the cursor
    /// is read again for each page; a row-value comparison over all three keys skips the undated rows (NULL compares as
    /// unknown). Each run is ordered and bounded by the largest page on its own: PostgreSQL plans a UNION ALL member
    /// with a WHERE clause as a subquery, which without them reads and sorts its whole run.
    /// </remarks>
    public static IQueryable<TodoItem> After(this IQueryable<TodoItem> todos, TodoCursor cursor)
    {
        var (isDone, dueDate, id) = cursor;
        var sameStatus = todos.Where(t => t.IsDone == isDone);
        List<IQueryable<TodoItem>> runs = dueDate is { } due
            ?
            [
                sameStatus.Where(t => EF.Functions.GreaterThan(
                    ValueTuple.Create(t.DueDate, t.Id), ValueTuple.Create((DateOnly?)due, id))),
                sameStatus.Where(t => t.DueDate == null),
            ]
            : [sameStatus.Where(t => t.DueDate == null && t.Id > id)];
        if (!isDone)
        {
            runs.Add(todos.Where(t => t.IsDone));
        }

        return runs.Count == 1
            ? runs[0]
            : runs.Select(run => run.InListOrder().Take(TodoListPage.MaxLimit + 1)).Aggregate(Queryable.Concat);
    }
}
