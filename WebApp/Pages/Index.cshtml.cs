using Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace WebApp.Pages;

/// <summary>
/// The to-do list, a page of <see cref="TodoListPage.DefaultLimit"/> at a time: add, mark done, delete. Forms carry an
/// antiforgery token, which Razor Pages checks on every POST.
/// </summary>
public sealed class IndexModel(AppDbContext db) : PageModel
{
    /// <summary>This page of the list, in <see cref="TodoListOrder"/>.</summary>
    public IReadOnlyList<TodoItem> Todos { get; private set; } = [];

    /// <summary>Where the next page starts (the link's <c>after</c>); null on the last page.</summary>
    public TodoCursor? Next { get; private set; }

    /// <summary>Whether this is a later page than the first (it links back to the first).</summary>
    public bool IsLaterPage { get; private set; }

    /// <summary>The add form; validated by the same rules as the JSON API.</summary>
    [BindProperty]
    public TodoRequest NewTodo { get; set; } = new();

    /// <summary>Shows a page of the list: the first, or the one after <paramref name="after"/>; 400 for a bad cursor.</summary>
    public async Task<IActionResult> OnGetAsync(string? after, CancellationToken cancellationToken)
    {
        if (TodoPageQuery.Parse(limit: null, after, out _) is not { } query)
        {
            return BadRequest();
        }

        await LoadAsync(cancellationToken, query.After);
        return Page();
    }

    /// <summary>Adds a to-do, or shows the form again with what is wrong.</summary>
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            await LoadAsync(cancellationToken);
            return Page();
        }

        db.Todos.Add(NewTodo.ToTodoItem());
        await db.SaveChangesAsync(cancellationToken);
        return RedirectToPage();
    }

    /// <summary>Marks a to-do done; an id that is gone changes nothing.</summary>
    public async Task<IActionResult> OnPostDoneAsync(int id, CancellationToken cancellationToken)
    {
        await db.Todos.Where(t => t.Id == id).ExecuteUpdateAsync(s => s.SetProperty(t => t.IsDone, true), cancellationToken);
        return RedirectToPage();
    }

    /// <summary>Deletes a to-do; an id that is gone changes nothing.</summary>
    public async Task<IActionResult> OnPostDeleteAsync(int id, CancellationToken cancellationToken)
    {
        await db.Todos.Where(t => t.Id == id).ExecuteDeleteAsync(cancellationToken);
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken cancellationToken, TodoCursor? after = null)
    {
        var page = await TodoListPage.ReadAsync(db, after, TodoListPage.DefaultLimit, cancellationToken);
        (Todos, Next, IsLaterPage) = (page.Items, page.Next, after is not null);
    }
}
