using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Publishing;

namespace SafeMigrations.Hosting;

/// <summary>
/// An app as a Container App whose every replica of a new revision first runs the migration worker — published into the
/// app's own image under <c>/app/migrator</c> — as an init container (<c>container-app-with-migrations.bicep</c>): the
/// revision cannot start, turn ready or take traffic before the migration succeeded, and the previous revision keeps
/// serving until then. Probes on the given paths; public HTTPS ingress.
/// </summary>
/// <remarks>
/// The two containers read separate secrets: the app only its own connection strings (its web logins, never an admin's);
/// the init container each database's migrator login as well (published to Azure: the roles, passwords and grants are the
/// bootstrap's, which the postprovision hook runs as the admin), or, on a server with no bootstrap (the opt-in container,
/// External), the admin's connection string, to create the database and the roles and to set each web login's password.
/// </remarks>
internal static class ContainerAppModule
{
    public static async Task<AzdDeployment.Module> WriteAsync(ManifestPublishingContext context, ProjectResource app, ProjectResource worker,
        MigrationWorkerAnnotation annotation, ContainerAppOptions options)
    {
        // The app's own: what it reads, under the names it reads them.
        var appSecrets = (await AzdDeployment.ConnectionStringsOfAsync(app, context.ExecutionContext))
            .Select(c => (c.ConnectionName, Secret: ModuleSecret.For(c.Resource, c.ConnectionName)))
            .ToList();
        // The worker's: each database's migrator login where it has one (published to Azure), else its admin's; and each
        // web login, shared with the app when the app holds it already.
        var workerSecrets = annotation.Databases
            .SelectMany(d => (IEnumerable<(string ConnectionName, IResourceWithConnectionString Resource)>)
                [(d.Database.Name, d.MigratorLogin ?? d.Database), .. d.WebLogin is { } web ? [(web.Name, web)] : (IEnumerable<(string, IResourceWithConnectionString)>)[]])
            .DistinctBy(login => login.Resource)
            .Select(login => (login.ConnectionName,
                Secret: appSecrets.Select(a => a.Secret).FirstOrDefault(a => a.Resource == login.Resource) ?? ModuleSecret.For(login.Resource, worker.Name, login.Resource.Name)))
            .ToList();
        var secrets = appSecrets.Select(s => s.Secret).Concat(workerSecrets.Select(s => s.Secret)).Distinct().ToList();
        var settings = options.Environment.Select(e => (Name: e.Key, Parameter: BicepName.Parameter(e.Key), e.Value)).ToList();

        var path = BicepTemplate.Load("container-app-with-migrations.bicep")
            .Replace("resourceName", app.Name)
            .Replace("workerName", worker.Name)
            .Replace("workerCommand", $"/app/{MigrationWorkerBuilderExtensions.PublishedWorkerFolder}/{Path.GetFileNameWithoutExtension(worker.GetProjectMetadata().ProjectPath)}")
            .ReplaceLines("connectionStringParameters", secrets.Select(s => s.Declaration))
            .ReplaceLines("settingParameters", settings.Select(s => $"@description('The app\\'s {s.Name}.')\nparam {s.Parameter} string\n"))
            .ReplaceLines("secrets", secrets.Select(s => s.SecretEntry))
            .ReplaceLines("initEnvironment", workerSecrets.Select(s => s.Secret.EnvironmentEntry(s.ConnectionName)))
            .ReplaceLines("environment", [
                .. appSecrets.Select(s => s.Secret.EnvironmentEntry(s.ConnectionName)),
                .. settings.Select(s => $"{{\n  name: {BicepName.Literal(s.Name)}\n  value: {s.Parameter}\n}}"),
                .. options.PoolSizeSetting is { } pool ? [$"{{\n  name: {BicepName.Literal(pool)}\n  value: string(databaseMaxPoolSize)\n}}"] : (string[])[]])
            .WriteNextToManifest(context, app.Name);

        return new AzdDeployment.Module(path,
        [
            .. secrets.Select(s => KeyValuePair.Create(s.Parameter, s.Resource.ValueExpression)),
            .. settings.Select(s => KeyValuePair.Create(s.Parameter, s.Value)),
            KeyValuePair.Create("readinessProbePath", options.ReadinessProbePath),
            KeyValuePair.Create("livenessProbePath", options.LivenessProbePath),
        ], [.. secrets.Select(s => (object)s.Resource)]);
    }
}
