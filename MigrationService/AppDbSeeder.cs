using Data;
using Microsoft.EntityFrameworkCore;

namespace MigrationService;

/// <summary>Gives a new database a few to-dos. Only an empty list is seeded, so a second run adds nothing.</summary>
public sealed class AppDbSeeder : IDbSeeder<AppDbContext>
{
    public static readonly string[] Titles =
    [
        "Read the README",
        "Run the AppHost and open the dashboard",
        "Add a migration of your own",
    ];

    public async Task SeedAsync(AppDbContext context, CancellationToken cancellationToken)
    {
        if (await context.Todos.AnyAsync(cancellationToken))
        {
            return;
        }

        context.Todos.AddRange(Titles.Select(title => new TodoItem { Title = title }));
        await context.SaveChangesAsync(cancellationToken);
    }
}
