using Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Api;

/// <summary>The orders, under <c>/api/orders</c>: list, one, place, cancel. Bad input is a 400 problem details.</summary>
public static class OrdersApi
{
    /// <summary>Maps GET (list, one), POST and DELETE under <c>/api/orders</c>.</summary>
    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var orders = app.MapGroup("/api/orders");
        orders.MapGet("/", async (OrdersDbContext db, CancellationToken cancellationToken) =>
            await db.Orders.AsNoTracking().OrderBy(o => o.Id).ToListAsync(cancellationToken));
        orders.MapGet("/{id:int}", GetAsync);
        orders.MapPost("/", PlaceAsync);
        orders.MapDelete("/{id:int}", CancelAsync);
        return app;
    }

    /// <summary>What a client sends to place an order.</summary>
    /// <param name="Customer">Who places it: 1 to 200 characters.</param>
    /// <param name="Total">Its total: not negative.</param>
    public sealed record OrderRequest(string? Customer, decimal Total);

    private static async Task<Results<Ok<Order>, NotFound>> GetAsync(int id, OrdersDbContext db, CancellationToken cancellationToken) =>
        await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, cancellationToken) is { } order
            ? TypedResults.Ok(order)
            : TypedResults.NotFound();

    private static async Task<Results<Created<Order>, ValidationProblem>> PlaceAsync(
        OrderRequest request, OrdersDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Customer) || request.Customer.Length > 200)
        {
            errors[nameof(OrderRequest.Customer)] = ["Customer must be 1 to 200 characters."];
        }

        if (request.Total < 0)
        {
            errors[nameof(OrderRequest.Total)] = ["Total must not be negative."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var order = new Order { Customer = request.Customer!, Total = request.Total };
        db.Orders.Add(order);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/orders/{order.Id}", order);
    }

    private static async Task<Results<NoContent, NotFound>> CancelAsync(int id, OrdersDbContext db, CancellationToken cancellationToken) =>
        await db.Orders.Where(o => o.Id == id).ExecuteDeleteAsync(cancellationToken) > 0
            ? TypedResults.NoContent()
            : TypedResults.NotFound();
}
