using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

namespace SafeMigrations.Hosting;

/// <summary>
/// Azure Database for PostgreSQL – Flexible Server in the deployment manifest: a top-level <c>azure.bicep.v0</c> resource
/// that azd provisions, shaped like what Aspire's <c>AddAzurePostgresFlexibleServer</c> (Aspire.Hosting.Azure.PostgreSQL,
/// not available to this library) provisions with password authentication, but with no Key Vault: the connection
/// strings are put together in the manifest from the module's host name and the two generated parameters.
/// </summary>
internal static class FlexibleServerBuilderExtensions
{
    /// <summary>The smallest compute: Burstable, 1 vCore, 2 GiB, at most 50 connections (35 for users).</summary>
    public const string DefaultSku = "Standard_B1ms";

    /// <summary>
    /// Adds the server <paramref name="name"/>, its admin login <c>{name}-admin</c> and password <c>{name}-password</c>
    /// (generated once by azd and kept in its environment). <paramref name="settings"/> is <c>Postgres:Azure</c>: its
    /// <c>Sku</c> overrides <see cref="DefaultSku"/>.
    /// </summary>
    public static IResourceBuilder<FlexibleServerResource> AddFlexibleServer(this IDistributedApplicationBuilder builder,
        string name, IConfigurationSection settings)
    {
        var sku = settings["Sku"] is { Length: > 0 } configured ? configured.Trim() : DefaultSku;
        var tier = TierOf(sku);
        // Letters only: an identifier that needs no quoting, and none of the reserved names (admin, root, azure_…, pg_…).
        var login = builder.AddParameter($"{name}-admin",
            new GenerateParameterDefault { MinLength = 10, Upper = false, Numeric = false, Special = false });
        // Flexible Server wants three of four character classes; no symbols, so the value needs no escaping anywhere.
        var password = builder.AddParameter($"{name}-password",
            new GenerateParameterDefault { MinLength = 22, Special = false, MinLower = 1, MinUpper = 1, MinNumeric = 1 }, secret: true);

        var server = new FlexibleServerResource(name, login.Resource, password.Resource);
        return builder.AddResource(server).WithManifestPublishingCallback(context =>
        {
            var writer = context.Writer;
            writer.WriteString("type", "azure.bicep.v0");
            context.WriteConnectionString(server);
            writer.WriteString("path", BicepTemplate.Load("postgres-flexible-server.bicep")
                .Replace("resourceName", name)
                .WriteNextToManifest(context, name));
            // azd adds "location" itself; every value here is a string.
            writer.WriteStartObject("params");
            writer.WriteString("administratorLogin", server.AdministratorLogin.ValueExpression);
            writer.WriteString("administratorLoginPassword", server.AdministratorPassword.ValueExpression);
            writer.WriteString("skuName", sku);
            writer.WriteString("skuTier", tier);
            writer.WriteString("version", PostgresContainer.PinnedTag);
            writer.WriteEndObject();
        });
    }

    /// <summary>Adds the database <paramref name="name"/> on the server (created by the migration worker).</summary>
    public static IResourceBuilder<FlexibleServerDatabaseResource> AddDatabase(this IResourceBuilder<FlexibleServerResource> server,
        string name, string databaseName) => server.ApplicationBuilder.AddResource(new FlexibleServerDatabaseResource(name, databaseName, server.Resource));

    /// <summary>The pricing tier a compute SKU belongs to, from its family letter.</summary>
    private static string TierOf(string sku) => sku switch
    {
        _ when sku.StartsWith("Standard_B", StringComparison.Ordinal) => "Burstable",
        _ when sku.StartsWith("Standard_D", StringComparison.Ordinal) => "GeneralPurpose",
        _ when sku.StartsWith("Standard_E", StringComparison.Ordinal) => "MemoryOptimized",
        _ => throw new SafeMigrationsSettingException(
            $"Postgres:Azure:Sku must be a Flexible Server compute size such as {DefaultSku} (Burstable), Standard_D2ds_v5 " +
            $"(General Purpose) or Standard_E2ds_v5 (Memory Optimized); got '{sku}'."),
    };
}
