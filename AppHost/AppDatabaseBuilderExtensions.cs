using LocalPostgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AppHost;

/// <summary>How this solution provisions its PostgreSQL server and database, driven by the <c>Postgres</c> configuration section.</summary>
internal static class AppDatabaseBuilderExtensions
{
    /// <summary>Registry of the default image: the official one.</summary>
    public const string DefaultRegistry = "docker.io";

    /// <summary>The default image: the official one.</summary>
    public const string DefaultImage = "library/postgres";

    /// <summary>
    /// Pinned to the major version on purpose: a data volume is tied to the major (a newer one refuses it), while minor
    /// releases are drop-in fixes. Not left to Aspire's default, which moves with the Aspire package.
    /// </summary>
    public const string PinnedTag = "17";

    /// <summary>Local mode keeps its data per user and major version under a folder of this name.</summary>
    public const string LocalDataFolder = "aspire-migrations";

    /// <summary>
    /// Adds the server <paramref name="serverName"/> with the database <paramref name="databaseName"/> on it, from where
    /// <c>Postgres:Mode</c> says (see <see cref="PostgresModeSelector"/>), records that decision on the database resource
    /// and logs it once at startup. Every way the server has the same password parameter (<c>{serverName}-password</c>,
    /// generated once and, in run mode, kept in the AppHost's user secrets; when published, by azd) and services get the
    /// same connection string shape.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddAppDatabase(this IDistributedApplicationBuilder builder,
        string serverName, string databaseName)
    {
        var settings = builder.Configuration.GetSection("Postgres");
        var decision = PostgresModeSelector.Decide(settings["Mode"], builder.ExecutionContext.IsRunMode,
            () => ContainerEngine.Problem(builder),
            () => LocalPostgresInstallation.Find(settings["BinDirectory"]),
            settings.GetValue("EphemeralCloudDatabase", defaultValue: false));
        builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
        {
            var logger = e.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Postgres");
            logger.Log(decision.NothingAvailable ? LogLevel.Warning : LogLevel.Information,
                "PostgreSQL mode: {Mode} ({Reason})", decision.Mode, decision.Reason);
            return Task.CompletedTask;
        });

        // Data survives AppHost restarts in run mode unless Postgres:Persistent=false (tests).
        var persistent = builder.ExecutionContext.IsRunMode && settings.GetValue("Persistent", defaultValue: true);
        IResourceWithConnectionString database = decision.Mode switch
        {
            // No server in the graph: the database is a connection string (a secret parameter when published).
            PostgresMode.External => builder.AddConnectionString(databaseName).Resource,
            PostgresMode.Azure => builder.AddFlexibleServer(serverName, settings.GetSection("Azure")).AddDatabase(databaseName).Resource,
            PostgresMode.Local => builder.AddLocalPostgres(serverName, decision.Installation!)
                .WithDataDirectoryIf(persistent, settings["DataDirectory"] is { Length: > 0 } dataDirectory
                    ? dataDirectory : LocalPostgresDataDirectory.PerUser(LocalDataFolder, decision.Installation!.MajorVersion))
                .AddDatabase(databaseName).Resource,
            _ => builder.AddContainerPostgres(serverName, settings, persistent).AddDatabase(databaseName).Resource,
        };
        return builder.CreateResourceBuilder(database).WithAnnotation(decision);
    }

    /// <summary>
    /// The official image at <see cref="PinnedTag"/>, overridable through <c>Postgres:Registry</c>, <c>Postgres:Image</c>
    /// and <c>Postgres:Tag</c> (registry mirrors, offline CI). Persistent: a data volume and a container that outlives the AppHost.
    /// </summary>
    private static IResourceBuilder<PostgresServerResource> AddContainerPostgres(this IDistributedApplicationBuilder builder,
        string name, IConfigurationSection settings, bool persistent)
    {
        var postgres = builder.AddPostgres(name)
            .WithImageRegistry(settings["Registry"] is { Length: > 0 } registry ? registry : DefaultRegistry)
            .WithImage(settings["Image"] is { Length: > 0 } image ? image : DefaultImage,
                       settings["Tag"] is { Length: > 0 } tag ? tag : PinnedTag);

        return persistent ? postgres.WithDataVolume().WithLifetime(ContainerLifetime.Persistent) : postgres;
    }

    private static IResourceBuilder<LocalPostgresServerResource> WithDataDirectoryIf(this IResourceBuilder<LocalPostgresServerResource> server,
        bool keep, string path) => keep ? server.WithDataDirectory(path) : server;
}
