using System.ComponentModel.DataAnnotations;
using Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace WebApp.Pages;

/// <summary>The to-do list and the form to add one.</summary>
public sealed class IndexModel(AppDbContext db) : PageModel
{
    public IReadOnlyList<TodoItem> Todos { get; private set; } = [];

    [BindProperty]
    [Required(ErrorMessage = "A title is required.")]
    [StringLength(TodoItem.TitleMaxLength, ErrorMessage = "A title has at most {1} characters.")]
    public string? NewTitle { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            await LoadAsync(cancellationToken);
            return Page();
        }

        db.Todos.Add(new TodoItem { Title = NewTitle!.Trim() });
        await db.SaveChangesAsync(cancellationToken);
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken cancellationToken) =>
        Todos = await db.Todos.AsNoTracking()
            .OrderBy(t => t.IsDone).ThenBy(t => t.DueDate).ThenBy(t => t.Id)
            .ToListAsync(cancellationToken);
}
