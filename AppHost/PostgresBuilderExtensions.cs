using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

/// <summary>How this solution provisions its PostgreSQL server, driven by the <c>Postgres</c> configuration section.</summary>
public static class PostgresBuilderExtensions
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

    /// <summary>
    /// Adds the PostgreSQL server: the official image at <see cref="PinnedTag"/>, overridable through
    /// <c>Postgres:Registry</c>, <c>Postgres:Image</c> and <c>Postgres:Tag</c> (registry mirrors, offline CI).
    /// In run mode it keeps its data in a volume and outlives the AppHost, unless <c>Postgres:Persistent=false</c>.
    /// </summary>
    /// <remarks>
    /// The password is Aspire's generated <c>{name}-password</c> parameter, which run mode saves to the AppHost's user
    /// secrets: it stays the same across runs, so a kept data volume keeps accepting it.
    /// </remarks>
    public static IResourceBuilder<PostgresServerResource> AddAppPostgres(this IDistributedApplicationBuilder builder, string name)
    {
        var settings = builder.Configuration.GetSection("Postgres");

        var postgres = builder.AddPostgres(name)
            .WithImageRegistry(settings["Registry"] is { Length: > 0 } registry ? registry : DefaultRegistry)
            .WithImage(settings["Image"] is { Length: > 0 } image ? image : DefaultImage,
                       settings["Tag"] is { Length: > 0 } tag ? tag : PinnedTag);

        if (builder.ExecutionContext.IsRunMode && settings.GetValue("Persistent", defaultValue: true))
        {
            postgres.WithDataVolume()
                .WithLifetime(ContainerLifetime.Persistent);
        }

        return postgres;
    }
}
