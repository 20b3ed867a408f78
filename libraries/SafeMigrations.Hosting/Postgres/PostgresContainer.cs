using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

namespace SafeMigrations.Hosting;

/// <summary>PostgreSQL as a container: the official image pinned to a major, overridable for registry mirrors and offline CI.</summary>
internal static class PostgresContainer
{
    /// <summary>Registry of the default image: the official one.</summary>
    public const string DefaultRegistry = "docker.io";

    /// <summary>The default image: the official one.</summary>
    public const string DefaultImage = "library/postgres";

    /// <summary>
    /// Pinned to the major version on purpose: a data volume is tied to the major (a newer one refuses it), while minor
    /// releases are drop-in fixes. Not left to Aspire's default, which moves with the Aspire package. Azure Database for
    /// PostgreSQL is deployed at the same major.
    /// </summary>
    public const string PinnedTag = "17";

    /// <summary>
    /// The image at <see cref="PinnedTag"/>, overridable through <c>Postgres:Registry</c>, <c>Postgres:Image</c> and
    /// <c>Postgres:Tag</c>. Persistent: a data volume and a container that outlives the AppHost.
    /// </summary>
    public static IResourceBuilder<PostgresServerResource> Add(IDistributedApplicationBuilder builder, string name,
        IConfigurationSection settings, bool persistent)
    {
        var postgres = builder.AddPostgres(name)
            .WithImageRegistry(settings["Registry"] is { Length: > 0 } registry ? registry : DefaultRegistry)
            .WithImage(settings["Image"] is { Length: > 0 } image ? image : DefaultImage,
                       settings["Tag"] is { Length: > 0 } tag ? tag : PinnedTag);

        return persistent ? postgres.WithDataVolume().WithLifetime(ContainerLifetime.Persistent) : postgres;
    }
}
