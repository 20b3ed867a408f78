using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace SafeMigrations.Hosting;

/// <summary>
/// The migrator login of a database published to Azure Database for PostgreSQL: <c>&lt;database&gt;_migrator</c>, which
/// may act as the owner role and nothing more, with its own generated secret password <c>{name}-migrator-password</c>.
/// The web app's init container migrates with it, so the internet-facing app holds no admin credential; the
/// deployment's bootstrap (the postprovision hook, as the admin) creates it and sets its password before any deployment.
/// </summary>
/// <remarks>
/// Only there: in run mode the worker keeps the admin's login and sets the roles up itself, and a published opt-in
/// container server (<c>Postgres:EphemeralCloudDatabase</c>) or an External server has no bootstrap before its first
/// deployment, so its init container keeps the admin's (docs/deploy.md).
/// </remarks>
internal static class MigratorLogin
{
    /// <summary>Adds the migrator login of <paramref name="database"/> when it is published to Azure; null otherwise.</summary>
    public static IResourceWithConnectionString? AddFor(IResourceBuilder<IResourceWithConnectionString> database)
    {
        var builder = database.ApplicationBuilder;
        if (!builder.ExecutionContext.IsPublishMode
            || database.Resource.Annotations.OfType<PostgresDatabaseAnnotation>().SingleOrDefault() is not { Decision.Mode: PostgresMode.Azure, DatabaseName: { } databaseName } server)
        {
            return null;
        }

        var name = $"{database.Resource.Name}-migrator";
        // Letters and digits only, like the admin's: the bootstrap hook hands it on without escaping anything.
        var password = builder.AddParameter($"{name}-password",
            new GenerateParameterDefault { MinLength = 22, Special = false, MinLower = 1, MinUpper = 1, MinNumeric = 1 }, secret: true).Resource;
        return builder.AddConnectionString(name, server.LoginAs($"{databaseName}_migrator", password)!)
            .WithParentRelationship(database).Resource;
    }
}
