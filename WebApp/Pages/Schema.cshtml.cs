using Data;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace WebApp.Pages;

/// <summary>What the migration worker did: the migrations applied to the database, and how many this build still expects.</summary>
public sealed class SchemaModel(AppDbContext db) : PageModel
{
    /// <summary>Applied migrations, oldest first, as recorded in the database's history table.</summary>
    public IReadOnlyList<MigrationEntry> Applied { get; private set; } = [];

    /// <summary>Migrations this build contains that the database does not have yet.</summary>
    public IReadOnlyList<MigrationEntry> Pending { get; private set; } = [];

    /// <summary>Reads both lists from the database.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Applied = [.. (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).Select(MigrationEntry.FromId)];
        Pending = [.. (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Select(MigrationEntry.FromId)];
    }
}

/// <summary>One EF Core migration.</summary>
/// <param name="Id">The full id, <c>yyyyMMddHHmmss_Name</c>, as in <c>__EFMigrationsHistory</c>.</param>
/// <param name="Name">The name given to <c>dotnet ef migrations add</c>.</param>
public sealed record MigrationEntry(string Id, string Name)
{
    /// <summary>Splits an id into its name (the part after the timestamp).</summary>
    public static MigrationEntry FromId(string id) => new(id, id[(id.IndexOf('_') + 1)..]);
}
