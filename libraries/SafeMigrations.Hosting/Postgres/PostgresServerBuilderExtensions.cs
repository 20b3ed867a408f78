using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using LocalPostgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SafeMigrations.Hosting;

/// <summary>The PostgreSQL server of an AppHost, from where the <c>Postgres</c> configuration section says.</summary>
public static class PostgresServerBuilderExtensions
{
    /// <summary>The configuration section every <c>Postgres:*</c> key lives in.</summary>
    public const string ConfigurationSection = "Postgres";

    /// <summary>
    /// Adds the server <paramref name="name"/> from where <c>Postgres:Mode</c> says — decided once, here, and logged once
    /// at startup: a container if an engine answers, else the machine's server binaries; published, Azure Database for
    /// PostgreSQL; External, no server at all. Every way the server has the same password parameter
    /// (<c>{name}-password</c>, generated once and, in run mode, kept in the AppHost's user secrets; when published, by
    /// azd) and services get the same connection string shape. Data persists across runs unless
    /// <c>Postgres:Persistent=false</c>.
    /// </summary>
    /// <param name="builder">The AppHost's builder.</param>
    /// <param name="name">The server's resource name.</param>
    /// <param name="options">Choices that are not configuration; by default none.</param>
    /// <exception cref="SafeMigrationsSettingException">A setting that cannot work, such as a mode that cannot be published.</exception>
    public static PostgresServer AddPostgresServer(this IDistributedApplicationBuilder builder, [ResourceName] string name,
        PostgresServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);

        var settings = builder.Configuration.GetSection(ConfigurationSection);
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
        switch (decision.Mode)
        {
            case PostgresMode.External:
                return new PostgresServer(builder, decision, resource: null, login: null, (_, _) => throw new System.Diagnostics.UnreachableException());
            case PostgresMode.Azure:
                var azure = builder.AddFlexibleServer(name, settings.GetSection("Azure"));
                return new PostgresServer(builder, decision, azure.Resource, azure.Resource.Login,
                    (database, databaseName) => azure.AddDatabase(database, databaseName).Resource);
            case PostgresMode.Local:
                var local = builder.AddLocalPostgres(name, decision.Installation!);
                if (persistent)
                {
                    local.WithDataDirectory(settings["DataDirectory"] is { Length: > 0 } dataDirectory
                        ? dataDirectory
                        : LocalPostgresDataDirectory.PerUser(options?.LocalDataFolder ?? builder.Environment.ApplicationName,
                            decision.Installation!.MajorVersion));
                }

                return new PostgresServer(builder, decision, local.Resource, PostgresLogin.At(local.Resource.PrimaryEndpoint),
                    (database, databaseName) => local.AddDatabase(database, databaseName).Resource);
            default:
                var container = PostgresContainer.Add(builder, name, settings, persistent);
                return new PostgresServer(builder, decision, container.Resource, PostgresLogin.At(container.Resource.PrimaryEndpoint),
                    (database, databaseName) => container.AddDatabase(database, databaseName).Resource);
        }
    }
}
