// postgres ──► appdb ◄── migrations (migrate, seed, exit) ──► webapp (waits for the migrations to complete)
using SafeMigrations.Hosting;

var builder = DistributedApplication.CreateBuilder(args);
try
{
    // Postgres:Mode picks the server: a container, the PostgreSQL binaries of this machine, or an existing server;
    // published, Azure Database for PostgreSQL (see docs/configuration.md, docs/deploy.md).
    var appdb = builder.AddPostgresServer("postgres", new() { LocalDataFolder = "aspire-migrations" }).AddDatabase("appdb");
    // The web app's own login (role appdb_web: rows only, never the schema); the worker creates it and sets its password.
    var appdbWeb = appdb.AddWebLogin("appdb-web");

    var migrations = builder.AddMigrationWorker<Projects.MigrationService>("migrations", new()
        {
            JobRunner = "AppHost/infra/scripts/run-migrations-job.sh", // a rollback in the cloud (docs/deploy.md)
            JobRunnerDocumentation = "docs/deploy.md",
        })
        .WithDatabase(appdb, appdbWeb);      // the admin login, the web login; dashboard commands; published, a manual job

    builder.AddProject<Projects.WebApp>("webapp")
        .WithReference(appdbWeb, connectionName: "appdb") // its ConnectionStrings:appdb, as its own role
        .WaitForMigrations(migrations, published =>
        {
            published.PoolSizeSetting = "Database__MaxPoolSize";   // the web app's pool, within the connection budget
            published.Environment["ForwardedHeaders__KnownNetworks"] = TrustedProxies.Networks;
        })
        .WithHttpHealthCheck("/health")
        .WithExternalHttpEndpoints();
}
catch (SafeMigrationsSettingException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 1;
}

builder.Build().Run();
return 0;
