using System.Globalization;
using Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace WebApp;

/// <summary>
/// The JSON API over the to-do list, under <c>/api/todos</c>. Request bodies are validated (see <see cref="TodoRequest"/>)
/// before a handler runs; every 4xx answer is an RFC 7807 problem details document. Lists are paged.
/// </summary>
public static class TodoApi
{
    /// <summary>Maps GET (list, one), POST, PUT and DELETE under <c>/api/todos</c>.</summary>
    public static IEndpointRouteBuilder MapTodoApi(this IEndpointRouteBuilder app)
    {
        var todos = app.MapGroup("/api/todos");

        todos.MapGet("/", ListAsync);
        todos.MapGet("/{id:int}", GetAsync);
        todos.MapPost("/", CreateAsync);
        todos.MapPut("/{id:int}", ReplaceAsync);
        todos.MapDelete("/{id:int}", DeleteAsync);

        return app;
    }

    /// <summary>
    /// One page in list order (see <see cref="TodoPageQuery"/>); when more follow, a <c>Link: &lt;…&gt;; rel="next"</c>
    /// header (RFC 8288) gives the URL of the next page. The body stays a plain array.
    /// </summary>
    private static async Task<Results<Ok<List<TodoResponse>>, ValidationProblem>> ListAsync(
        string? limit, string? after, HttpContext context, AppDbContext db, CancellationToken cancellationToken)
    {
        if (TodoPageQuery.Parse(limit, after, out var errors) is not { } query)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var page = await TodoListPage.ReadAsync(db, query.After, query.Limit, cancellationToken);
        if (page.Next is { } next)
        {
            var nextQuery = QueryString.Create(TodoPageQuery.LimitParameter, query.Limit.ToString(CultureInfo.InvariantCulture))
                .Add(TodoPageQuery.AfterParameter, next.ToString());
            context.Response.Headers.Link = $"<{context.Request.PathBase}{context.Request.Path}{nextQuery}>; rel=\"next\"";
        }

        return TypedResults.Ok(page.Items.Select(TodoResponse.From).ToList());
    }

    private static async Task<Results<Ok<TodoResponse>, ProblemHttpResult>> GetAsync(
        int id, AppDbContext db, CancellationToken cancellationToken) =>
        await db.Todos.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, cancellationToken) is { } todo
            ? TypedResults.Ok(TodoResponse.From(todo))
            : NotFound(id);

    private static async Task<Created<TodoResponse>> CreateAsync(
        TodoRequest request, AppDbContext db, CancellationToken cancellationToken)
    {
        var todo = request.ToTodoItem();
        db.Todos.Add(todo);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/todos/{todo.Id}", TodoResponse.From(todo));
    }

    private static async Task<Results<Ok<TodoResponse>, ProblemHttpResult>> ReplaceAsync(
        int id, TodoRequest request, AppDbContext db, CancellationToken cancellationToken)
    {
        if (await db.Todos.FindAsync([id], cancellationToken) is not { } todo)
        {
            return NotFound(id);
        }

        request.ApplyTo(todo);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Deleted by someone else between the read and the write.
            return NotFound(id);
        }

        return TypedResults.Ok(TodoResponse.From(todo));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        int id, AppDbContext db, CancellationToken cancellationToken) =>
        await db.Todos.Where(t => t.Id == id).ExecuteDeleteAsync(cancellationToken) > 0
            ? TypedResults.NoContent()
            : NotFound(id);

    private static ProblemHttpResult NotFound(int id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"There is no to-do with id {id}.");
}
