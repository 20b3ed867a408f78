// postgres ──► appdb ◄── migrations (migrate, seed, exit) ──► webapp (waits for the migrations to complete)
using AppHost;

var builder = DistributedApplication.CreateBuilder(args);

// Postgres:Mode picks the server: a container, the PostgreSQL binaries of this machine, or an existing server (see docs/configuration.md).
var appdb = builder.AddAppDatabase("postgres", "appdb");

var migrations = builder.AddProject<Projects.MigrationService>("migrations")
    .WithReference(appdb)
    .WaitFor(appdb)
    .WithMigrationTarget()
    .WithMigrationCommands(appdb)        // the dashboard as the migration console (run mode only)
    .PublishAsMigrationsJob(appdb);      // azd: a job run once per deployment, not a Container App

builder.AddProject<Projects.WebApp>("webapp")
    .WithReference(appdb)
    .WaitForCompletion(migrations)       // azd has no waits: the readiness probe on /health holds traffic instead
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints()
    .PublishWithHealthProbes(appdb);

builder.Build().Run();
