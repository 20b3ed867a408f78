using LocalPostgres;
using Microsoft.Extensions.Configuration;

// The graph of AppHost/AppHost.cs with off-the-shelf hosting integrations and nothing else of this solution's: no mode
// detection (Postgres:Mode says Container or Local), no web login, no deployment extensions. The image, the data
// volume or directory are set with the real AppHost's keys, so both run the same server the same way.
var builder = DistributedApplication.CreateBuilder(args);
var settings = builder.Configuration.GetSection("Postgres");
var persistent = settings.GetValue("Persistent", defaultValue: true);

IResourceBuilder<IResourceWithConnectionString> appdb;
if (settings["Mode"] == "Local")
{
    var server = builder.AddLocalPostgres("postgres", LocalPostgresInstallation.Find(settings["BinDirectory"])!);
    appdb = (persistent ? server.WithDataDirectory(settings["DataDirectory"]!) : server).AddDatabase("appdb");
}
else
{
    var server = builder.AddPostgres("postgres");
    if (settings["Image"] is { Length: > 0 } image)
    {
        server.WithImage(image, settings["Tag"] ?? "17");
    }

    appdb = (persistent ? server.WithDataVolume().WithLifetime(ContainerLifetime.Persistent) : server).AddDatabase("appdb");
}

var migrations = builder.AddProject<Projects.MigrationService>("migrations")
    .WithReference(appdb)
    .WaitFor(appdb);

builder.AddProject<Projects.WebApp>("webapp")
    .WithReference(appdb)
    .WaitForCompletion(migrations)
    .WithHttpHealthCheck("/health");

builder.Build().Run();
