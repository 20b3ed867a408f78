using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using SafeMigrations.Worker;
using TestWorker;
using TestWorker.Migrations;

// Two contexts, in this order: the catalog (EF Core's default history table), then the orders (a history table of its
// own, so both may share one database).
var worker = MigrationWorker.CreateBuilder(args);
OrdersContext.HasUnmigratedEntity = worker.Configuration.GetValue<bool>(OrdersContext.UnmigratedEntitySetting);
CatalogInitial.Edited = worker.Configuration.GetValue<bool>(CatalogInitial.EditedSetting);
CatalogInitial.WithoutTransaction = worker.Configuration.GetValue<bool>(CatalogInitial.WithoutTransactionSetting);
var killAfter = worker.Configuration.GetValue<int?>(KillAfterMigrations.Setting);
worker.AddContext<CatalogContext>("catalog", options =>
{
    if (killAfter is { } migrations)
    {
        options.AddInterceptors(new KillAfterMigrations(migrations));
    }
}).WithSeeder<CatalogSeeder>();
worker.AddContext<OrdersContext>("orders", options => options.UseNpgsql(npgsql => npgsql.MigrationsHistoryTable(OrdersContext.HistoryTable)));
if (worker.Configuration.GetValue<bool>(DataChecksContext.Setting))
{
    worker.AddContext<DataChecksContext>("catalog", options => options.UseNpgsql(npgsql => npgsql.MigrationsHistoryTable(DataChecksContext.HistoryTable)));
}

if (worker.Configuration.GetValue<bool>(ForeignKeyCheckContext.Setting))
{
    worker.AddContext<ForeignKeyCheckContext>("catalog",
        options => options.UseNpgsql(npgsql => npgsql.MigrationsHistoryTable(ForeignKeyCheckContext.HistoryTable)));
}

return await worker.RunAsync();
