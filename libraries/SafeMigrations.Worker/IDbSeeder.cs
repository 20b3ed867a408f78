using Microsoft.EntityFrameworkCore;

namespace SafeMigrations.Worker;

/// <summary>
/// Writes SAMPLE data into a new database, once: the worker runs it after a run that found the history empty has
/// migrated to the latest migration, and never again, so that nothing a user deleted comes back. Data that must always
/// be there (REFERENCE data: countries, statuses) belongs in a migration (<c>InsertData</c>, or SQL) or in an
/// idempotent upsert, not here. See docs/worker.md, "Seeding".
/// </summary>
public interface IDbSeeder<in TContext> where TContext : DbContext
{
    /// <summary>Adds the sample data to <paramref name="context"/>, whose schema has just been created.</summary>
    Task SeedAsync(TContext context, CancellationToken cancellationToken);
}
