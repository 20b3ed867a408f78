using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Publishing;

namespace SafeMigrations.Hosting;

/// <summary>
/// The worker published as an Azure Container Apps job with a manual trigger (<c>migrations-job.bicep</c>): started
/// only on demand, with explicit arguments (a rollback's <c>--target</c>, a <c>--list</c>). It gets each database's
/// admin connection string and each web login (whose role it creates and whose password it sets).
/// </summary>
internal static class MigrationsJobModule
{
    public static Task<AzdDeployment.Module> WriteAsync(ManifestPublishingContext context, ProjectResource worker, MigrationWorkerAnnotation annotation)
    {
        var secrets = annotation.Databases
            .SelectMany(d => (IResourceWithConnectionString?[])[d.Database, d.WebLogin])
            .OfType<IResourceWithConnectionString>()
            .Distinct()
            .Select(resource => (ConnectionName: resource.Name, Secret: ModuleSecret.For(resource, resource.Name)))
            .ToList();

        var path = BicepTemplate.Load("migrations-job.bicep")
            .Replace("resourceName", worker.Name)
            .ReplaceLines("connectionStringParameters", secrets.Select(s => s.Secret.Declaration))
            .ReplaceLines("secrets", secrets.Select(s => s.Secret.SecretEntry))
            .ReplaceLines("environment", secrets.Select(s => s.Secret.EnvironmentEntry(s.ConnectionName)))
            .WriteNextToManifest(context, worker.Name);

        return Task.FromResult(new AzdDeployment.Module(path,
            [.. secrets.Select(s => KeyValuePair.Create(s.Secret.Parameter, s.Secret.Resource.ValueExpression))],
            [.. secrets.Select(s => (object)s.Secret.Resource)]));
    }
}
