using Data;
using Microsoft.EntityFrameworkCore;

namespace WebApp;

/// <summary>The JSON API over the to-do list, under <c>/api/todos</c>.</summary>
public static class TodoApi
{
    public static IEndpointRouteBuilder MapTodoApi(this IEndpointRouteBuilder app)
    {
        var todos = app.MapGroup("/api/todos");

        todos.MapGet("/", async (AppDbContext db, CancellationToken cancellationToken) =>
            await db.Todos.AsNoTracking()
                .OrderBy(t => t.IsDone).ThenBy(t => t.DueDate).ThenBy(t => t.Id)
                .ToListAsync(cancellationToken));

        return app;
    }
}
