using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Publishing;

namespace AppHost;

/// <summary>
/// How <c>azd</c> deploys the two services, written into the deployment manifest. Each becomes a <c>project.v1</c> entry
/// whose <c>deployment</c> is a Bicep module of <c>infra/</c>: azd builds and pushes the project's image, then deploys that
/// module instead of its own Container App template. Nothing changes in run mode.
/// </summary>
/// <remarks>
/// Written here because Aspire's Azure Container Apps integration (Aspire.Hosting.Azure.AppContainers, with
/// <c>PublishAsAzureContainerAppJob</c> and <c>WithHttpProbe</c>) is not available to this solution; where it is, it
/// replaces this file and the two modules. azd resolves the <c>{…}</c> placeholders of the parameters; every value is a string.
/// </remarks>
internal static class AzdDeploymentExtensions
{
    /// <summary>
    /// The worker as an Azure Container Apps job with a manual trigger (<c>infra/migrations-job.bicep</c>): it runs to
    /// completion when azure.yaml's postdeploy hook starts it, once per deployment, instead of restarting forever as a
    /// Container App would. <c>Migrations:Target</c>, when set while publishing, is passed on (a rollback through azd).
    /// It gets the admin's connection string and the web app's (whose role it creates and whose password it sets).
    /// </summary>
    public static IResourceBuilder<ProjectResource> PublishAsMigrationsJob(this IResourceBuilder<ProjectResource> worker,
        IResourceBuilder<IResourceWithConnectionString> database, IResourceBuilder<IResourceWithConnectionString> webLogin)
    {
        var target = worker.ApplicationBuilder.Configuration["Migrations:Target"];
        return worker.PublishAsBicepModule("infra/migrations-job.bicep",
            [new("appdbConnectionString", database.Resource), new("appdbWebConnectionString", webLogin.Resource)],
            string.IsNullOrWhiteSpace(target) ? [] : [new("migrationsTarget", target)]);
    }

    /// <summary>
    /// The web app as a Container App with HTTP probes (<c>infra/webapp.bicep</c>): readiness on <c>/health</c>, which
    /// fails while a migration is pending, and liveness on <c>/alive</c>; public HTTPS ingress. It gets only its own
    /// login (<paramref name="webLogin"/>), as its <c>appdb</c> connection string.
    /// </summary>
    public static IResourceBuilder<ProjectResource> PublishWithHealthProbes(this IResourceBuilder<ProjectResource> web,
        IResourceBuilder<IResourceWithConnectionString> webLogin) =>
        web.PublishAsBicepModule("infra/webapp.bicep", [new("appdbConnectionString", webLogin.Resource)],
            [new("readinessProbePath", "/health"), new("livenessProbePath", "/alive")]);

    private static IResourceBuilder<ProjectResource> PublishAsBicepModule(this IResourceBuilder<ProjectResource> project,
        string template, KeyValuePair<string, IResourceWithConnectionString>[] connectionStrings, KeyValuePair<string, string>[] parameters)
    {
        var builder = project.ApplicationBuilder;
        if (!builder.ExecutionContext.IsPublishMode)
        {
            return project;
        }

        var templateFile = Path.GetFullPath(template, builder.AppHostDirectory);
        var name = project.Resource.Name;

        // The deployment target only carries the callback that writes "deployment"; it is not part of the model.
        var target = new BicepModuleDeploymentTarget($"{name}-module");
        target.Annotations.Add(new ManifestPublishingCallbackAnnotation(context =>
        {
            // azd reads the module's path relative to the manifest (a temporary folder under azd), so it goes next to it.
            var moduleFile = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(context.ManifestPath))!, $"{name}.module.bicep");
            File.Copy(templateFile, moduleFile, overwrite: true);

            var writer = context.Writer;
            writer.WriteString("type", "azure.bicep.v0");
            writer.WriteString("path", context.GetManifestRelativePath(moduleFile));
            writer.WriteStartObject("params");
            writer.WriteString("containerAppsEnvironmentId", "{.outputs.AZURE_CONTAINER_APPS_ENVIRONMENT_ID}");
            writer.WriteString("containerImage", $"{{{name}.containerImage}}");
            writer.WriteString("containerRegistryEndpoint", "{.outputs.AZURE_CONTAINER_REGISTRY_ENDPOINT}");
            writer.WriteString("managedIdentityId", "{.outputs.AZURE_CONTAINER_REGISTRY_MANAGED_IDENTITY_ID}");
            // References ({appdb.connectionString}), never the values: azd fills them in from its secret parameters.
            foreach (var (key, connectionString) in connectionStrings)
            {
                writer.WriteString(key, connectionString.ValueExpression);
                context.TryAddDependentResources(connectionString);
            }

            foreach (var (key, value) in parameters)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
        }));

        return project.WithAnnotation(new DeploymentTargetAnnotation(target));
    }

    private sealed class BicepModuleDeploymentTarget(string name) : Resource(name);
}
