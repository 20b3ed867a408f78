namespace SafeMigrations.Hosting.Tests;

/// <summary>Small AppHosts built here, the way an adopting solution writes one: nothing is started.</summary>
internal static class TestAppHost
{
    /// <summary>A builder in Container mode unless <paramref name="args"/> say otherwise (later arguments win).</summary>
    public static IDistributedApplicationBuilder Create(params string[] args) => Builder(["--Postgres:Mode=Container", .. args]);

    /// <summary>A builder that publishes a manifest into <paramref name="directory"/>, by default with Azure Database for PostgreSQL.</summary>
    /// <remarks>An empty <c>Postgres:Mode</c> masks the one CI sets in the environment for the integration tests (Container).</remarks>
    public static IDistributedApplicationBuilder Publishing(string directory, params string[] args) =>
        Builder(["--publisher", "manifest", "--output-path", Path.Combine(directory, "manifest.json"), "--Postgres:Mode=", .. args]);

    private static IDistributedApplicationBuilder Builder(string[] args) =>
        DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            Args = ["--Postgres:Persistent=false", .. args],
            DisableDashboard = true,
        });

    /// <summary>The usual graph: one database, its web login, a worker and a web app that waits for it.</summary>
    public static (IResourceBuilder<ProjectResource> Worker, IResourceBuilder<ProjectResource> Web) AddGraph(IDistributedApplicationBuilder builder,
        params string[] databases)
    {
        var server = builder.AddPostgresServer("postgres");
        var worker = builder.AddMigrationWorker<Worker>("migrations");
        var web = builder.AddProject<Web>("web");
        foreach (var name in databases.DefaultIfEmpty("appdb"))
        {
            var database = server.AddDatabase(name);
            var login = database.AddWebLogin($"{name}-web");
            worker.WithDatabase(database, login);
            web.WithReference(login, connectionName: name);
        }

        web.WaitForMigrations(worker);
        return (worker, web);
    }

    public sealed class Worker : IProjectMetadata
    {
        public string ProjectPath => Path.Combine(AppContext.BaseDirectory, "TestProjects", "Worker", "Worker.csproj");
    }

    public sealed class Web : IProjectMetadata
    {
        public string ProjectPath => Path.Combine(AppContext.BaseDirectory, "TestProjects", "Web", "Web.csproj");
    }
}
