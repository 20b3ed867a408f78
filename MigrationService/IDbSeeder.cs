using Microsoft.EntityFrameworkCore;

namespace MigrationService;

/// <summary>Seeds a context after it is migrated to the latest migration. Must be idempotent: it runs on every deploy.</summary>
public interface IDbSeeder<in TContext> where TContext : DbContext
{
    Task SeedAsync(TContext context, CancellationToken cancellationToken);
}
