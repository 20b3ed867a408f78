// postgres ──► appdb ◄── migrations (migrate, seed, exit) ──► webapp (waits for the migrations to complete)
using AppHost;

var builder = DistributedApplication.CreateBuilder(args);

// Postgres:Mode picks the server: a container, the PostgreSQL binaries of this machine, or an existing server (see docs/configuration.md).
var appdb = builder.AddAppDatabase("postgres", "appdb");
// The web app's own login (role appdb_web: rows only, never the schema); the worker creates it and sets its password.
var appdbWeb = builder.AddWebLogin("appdb-web", appdb);

var migrations = builder.AddProject<Projects.MigrationService>("migrations")
    .WithReference(appdb)                // the admin login: creates the database and the roles, migrates as the owner role
    .WithReference(appdbWeb)
    .WaitFor(appdb)
    .WithMigrationTarget()
    .WithMigrationCommands(appdb)        // the dashboard as the migration console (run mode only)
    .PublishAsMigrationsJob(appdb, appdbWeb); // azd: a job run once per deployment, not a Container App

builder.AddProject<Projects.WebApp>("webapp")
    .WithReference(appdbWeb, connectionName: "appdb") // its ConnectionStrings:appdb, as its own role
    .WaitForCompletion(migrations)       // azd has no waits: the readiness probe on /health holds traffic instead
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints()
    .PublishWithHealthProbes(appdbWeb);

builder.Build().Run();
