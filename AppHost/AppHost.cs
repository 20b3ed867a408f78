// postgres ──► appdb ◄── migrations (migrate, seed, exit) ──► webapp (waits for the migrations to complete)
var builder = DistributedApplication.CreateBuilder(args);

var appdb = builder.AddAppPostgres("postgres")
    .AddDatabase("appdb");

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
