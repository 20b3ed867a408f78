using Data;
using Migrator;
using SafeMigrations.Worker;

// Two contexts on two databases, migrated in this order; each database's web login is ConnectionStrings:<name>-web.
var worker = MigrationWorker.CreateBuilder(args);
worker.AddContext<OrdersDbContext>("ordersdb").WithSeeder<OrdersSeeder>();
worker.AddContext<AccountsDbContext>("accountsdb");
return await worker.RunAsync();
