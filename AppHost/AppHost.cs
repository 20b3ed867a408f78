// postgres ──► appdb ◄── migrations (migrate, seed, exit) ──► webapp (waits for the migrations to complete)
using AppHost;

var builder = DistributedApplication.CreateBuilder(args);
try
{
    // Postgres:Mode picks the server: a container, the PostgreSQL binaries of this machine, or an existing server;
    // published, Azure Database for PostgreSQL (see docs/configuration.md, docs/deploy.md).
    var appdb = builder.AddAppDatabase("postgres", "appdb");
    // The web app's own login (role appdb_web: rows only, never the schema); the worker creates it and sets its password.
    var appdbWeb = builder.AddWebLogin("appdb-web", appdb);

    var migrations = builder.AddProject<Projects.MigrationService>("migrations")
        .WithReference(appdb)                // the admin login: creates the database and the roles, migrates as the owner role
        .WithReference(appdbWeb)
        .WaitFor(appdb)
        .WithMigrationTarget()
        .WithMigrationCommands(appdb)        // the dashboard as the migration console (run mode only)
        .PublishAsMigrationsJob(appdb, appdbWeb); // azd: a manual job for rollbacks, never a Container App

    builder.AddProject<Projects.WebApp>("webapp")
        .WithReference(appdbWeb, connectionName: "appdb") // its ConnectionStrings:appdb, as its own role
        .WaitForCompletion(migrations)       // azd has no waits: each new revision runs the worker first, as an init container
        .WithHttpHealthCheck("/health")
        .WithExternalHttpEndpoints()
        .PublishWithMigrationsInitContainer(appdb, appdbWeb);
}
catch (AppHostSettingException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 1;
}

builder.Build().Run();
return 0;
