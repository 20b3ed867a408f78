// postgres ──► appdb ◄── migrations (migrate, seed, exit) ──► webapp (waits for the migrations to complete)
var builder = DistributedApplication.CreateBuilder(args);

// Postgres:Mode picks the server: a container, or the PostgreSQL binaries of this machine (see README).
var appdb = builder.AddAppDatabase("postgres", "appdb");

var migrations = builder.AddProject<Projects.MigrationService>("migrations")
    .WithReference(appdb)
    .WaitFor(appdb)
    .WithMigrationTarget();

builder.AddProject<Projects.WebApp>("webapp")
    .WithReference(appdb)
    .WaitForCompletion(migrations)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

builder.Build().Run();
