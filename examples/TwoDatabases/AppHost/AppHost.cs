// postgres ──► ordersdb, accountsdb ◄── migrations (both, in order; seed; exit) ──► api (waits for the migrations)
using SafeMigrations.Hosting;

var builder = DistributedApplication.CreateBuilder(args);
try
{
    var postgres = builder.AddPostgresServer("postgres");                 // Postgres:Mode: Container, Local, External…
    var ordersdb = postgres.AddDatabase("ordersdb");
    var accountsdb = postgres.AddDatabase("accountsdb");
    var ordersdbWeb = ordersdb.AddWebLogin("ordersdb-web");              // role ordersdb_web: rows of ordersdb only
    var accountsdbWeb = accountsdb.AddWebLogin("accountsdb-web");        // role accountsdb_web: rows of accountsdb only

    var migrations = builder.AddMigrationWorker<Projects.Migrator>("migrations")
        .WithDatabase(ordersdb, ordersdbWeb)
        .WithDatabase(accountsdb, accountsdbWeb);

    builder.AddProject<Projects.Api>("api")
        .WithReference(ordersdbWeb, connectionName: "ordersdb")
        .WithReference(accountsdbWeb, connectionName: "accountsdb")
        .WaitForMigrations(migrations)
        .WithHttpHealthCheck("/health");
}
catch (SafeMigrationsSettingException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 1;
}

builder.Build().Run();
return 0;
