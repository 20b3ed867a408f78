using Data;
using Microsoft.Extensions.Hosting;
using MigrationService;
using SafeMigrations.Worker;

var worker = MigrationWorker.CreateBuilder(args);
worker.AddServiceDefaults();
worker.AddContext<AppDbContext>("appdb").WithSeeder<AppDbSeeder>();
return await worker.RunAsync();
