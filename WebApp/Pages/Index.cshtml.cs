using Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace WebApp.Pages;

/// <summary>The to-do list: add, mark done, delete. Forms carry an antiforgery token, which Razor Pages checks on every POST.</summary>
public sealed class IndexModel(AppDbContext db) : PageModel
{
    /// <summary>The list, in <see cref="TodoListOrder"/>.</summary>
    public IReadOnlyList<TodoItem> Todos { get; private set; } = [];

    /// <summary>The add form; validated by the same rules as the JSON API.</summary>
    [BindProperty]
    public TodoRequest NewTodo { get; set; } = new();

    /// <summary>Shows the list.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

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

    private async Task LoadAsync(CancellationToken cancellationToken) =>
        Todos = await db.Todos.AsNoTracking().InListOrder().ToListAsync(cancellationToken);
}
