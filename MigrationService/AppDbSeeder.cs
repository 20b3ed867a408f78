using Data;
using SafeMigrations.Worker;

namespace MigrationService;

/// <summary>Gives a new database a few sample to-dos; the worker runs it once, when it creates the schema.</summary>
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
        context.Todos.AddRange(Titles.Select(title => new TodoItem { Title = title }));
        await context.SaveChangesAsync(cancellationToken);
    }
}
