using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Data;

/// <summary>
/// Lets <c>dotnet ef</c> build the context without the AppHost. Adding a migration needs no database;
/// commands that do (<c>migrations list</c>, <c>database update</c>) read <c>ConnectionStrings__appdb</c>.
/// </summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<AppDbContext>
{
    private const string LocalDefault = "Host=localhost;Port=5432;Database=appdb;Username=postgres";

    public AppDbContext CreateDbContext(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__appdb") is { Length: > 0 } configured
            ? configured
            : LocalDefault;

        var options = new DbContextOptionsBuilder<AppDbContext>().UseNpgsql(connectionString).Options;
        return new AppDbContext(options);
    }
}
