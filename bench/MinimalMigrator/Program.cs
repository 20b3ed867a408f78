using Data;
using Microsoft.EntityFrameworkCore;

// The baseline the worker is measured against: the same migrations applied by EF Core with nothing around them — no
// host, no logging, no telemetry, no lock, no roles, no seed. Reads the connection string the worker reads.
var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__appdb");
if (string.IsNullOrWhiteSpace(connectionString))
{
    Console.Error.WriteLine("Set ConnectionStrings__appdb.");
    return 2;
}

var options = new DbContextOptionsBuilder<AppDbContext>().UseNpgsql(connectionString).Options;
await using var db = new AppDbContext(options);
await db.Database.MigrateAsync();
return 0;
