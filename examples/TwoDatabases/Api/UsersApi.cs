using Data;
using Microsoft.EntityFrameworkCore;

namespace Api;

/// <summary>The registered users' e-mail addresses, under <c>/api/users</c>, for a signed-in user only.</summary>
public static class UsersApi
{
    /// <summary>Maps GET <c>/api/users</c>.</summary>
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/users", async (AccountsDbContext db, CancellationToken cancellationToken) =>
                await db.Users.AsNoTracking().OrderBy(u => u.Email).Select(u => u.Email).ToListAsync(cancellationToken))
            .RequireAuthorization();
        return app;
    }
}
