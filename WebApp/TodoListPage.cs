using Data;
using Microsoft.EntityFrameworkCore;

namespace WebApp;

/// <summary>
/// One page of the to-do list, in <see cref="TodoListOrder"/>, and where the next one starts. Pages are bounded, so a
/// response costs the same whether the table holds ten rows or ten million.
/// </summary>
/// <param name="Items">At most the limit asked for.</param>
/// <param name="Next">Where the next page starts; null on the last page.</param>
public sealed record TodoListPage(IReadOnlyList<TodoItem> Items, TodoCursor? Next)
{
    /// <summary>Items per page when the client does not say (and on the <c>/</c> page).</summary>
    public const int DefaultLimit = 50;

    /// <summary>The most items a client may ask for in one page.</summary>
    public const int MaxLimit = 200;

    /// <summary>Reads up to <paramref name="limit"/> to-dos after <paramref name="after"/> (from the start when null).</summary>
    public static async Task<TodoListPage> ReadAsync(AppDbContext db, TodoCursor? after, int limit, CancellationToken cancellationToken)
    {
        var todos = db.Todos.AsNoTracking();
        if (after is { } cursor)
        {
            todos = todos.After(cursor);
        }

        // One row more than asked says whether another page exists, without a second query or an empty last page.
        var rows = await todos.InListOrder().Take(limit + 1).ToListAsync(cancellationToken);
        return rows.Count > limit
            ? new TodoListPage(rows[..limit], TodoCursor.After(rows[limit - 1]))
            : new TodoListPage(rows, null);
    }
}
