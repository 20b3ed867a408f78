using Aspire.Hosting.ApplicationModel;

namespace AppHost;

/// <summary>
/// How <c>azd</c> deploys the two services, written into the deployment manifest. Each becomes a <c>project.v1</c> entry
/// whose <c>deployment</c> is a Bicep module of <c>infra/</c>: azd builds and pushes the project's image, then deploys that
/// module instead of its own Container App template. Nothing changes in run mode.
/// </summary>
/// <remarks>
/// Written here because Aspire's Azure Container Apps integration (Aspire.Hosting.Azure.AppContainers, with
/// <c>PublishAsAzureContainerAppJob</c> and <c>WithHttpProbe</c>) is not available to this solution. azd resolves the
/// <c>{…}</c> placeholders of the parameters; every value is a string.
/// </remarks>
internal static class AzdDeploymentExtensions
{
    /// <summary>
    /// The web app as a Container App (<c>infra/webapp.bicep</c>) whose every replica of a new revision first runs the
    /// migration worker — published into the web app's own image, under <c>/app/migrator</c> — as an init container: the
    /// revision cannot start, turn ready or take traffic before the migration succeeded, and the previous revision keeps
    /// serving until then. Readiness on <c>/health</c>, liveness on <c>/alive</c>; public HTTPS ingress.
    /// </summary>
    /// <remarks>
    /// The two containers get separate secrets: the web app only its own login (<paramref name="webLogin"/>, as its
    /// <c>appdb</c> connection string); the init container the admin's (<paramref name="database"/>) as well, to create the
    /// database and the roles and to set the web login's password.
    /// </remarks>
    public static IResourceBuilder<ProjectResource> PublishWithMigrationsInitContainer(this IResourceBuilder<ProjectResource> web,
        IResourceBuilder<IResourceWithConnectionString> database, IResourceBuilder<IResourceWithConnectionString> webLogin) =>
        web.PublishAsBicepModule("infra/webapp.bicep",
            [new("appdbConnectionString", webLogin.Resource), new("migrationsAppdbConnectionString", database.Resource)],
            [new("readinessProbePath", "/health"), new("livenessProbePath", "/alive")]);

    /// <summary>
    /// The worker as an Azure Container Apps job with a manual trigger (<c>infra/migrations-job.bicep</c>), which no
    /// deployment starts: <c>infra/scripts/run-migrations-job.sh</c> runs it on demand with this deployment's image and
    /// explicit arguments (a rollback with <c>--target</c>, a <c>--list</c>). It gets the admin's connection string and
    /// the web app's (whose role it creates and whose password it sets).
    /// </summary>
    public static IResourceBuilder<ProjectResource> PublishAsMigrationsJob(this IResourceBuilder<ProjectResource> worker,
        IResourceBuilder<IResourceWithConnectionString> database, IResourceBuilder<IResourceWithConnectionString> webLogin) =>
        worker.PublishAsBicepModule("infra/migrations-job.bicep",
            [new("appdbConnectionString", database.Resource), new("appdbWebConnectionString", webLogin.Resource)], []);

    private static IResourceBuilder<ProjectResource> PublishAsBicepModule(this IResourceBuilder<ProjectResource> project,
        string template, KeyValuePair<string, IResourceWithConnectionString>[] connectionStrings, KeyValuePair<string, string>[] parameters)
    {
        var builder = project.ApplicationBuilder;
        if (!builder.ExecutionContext.IsPublishMode)
        {
            return project;
        }

        var name = project.Resource.Name;

        // The deployment target only carries the callback that writes "deployment"; it is not part of the model.
        var target = new BicepModuleDeploymentTarget($"{name}-module");
        target.Annotations.Add(new ManifestPublishingCallbackAnnotation(context =>
        {
            var writer = context.Writer;
            writer.WriteString("type", "azure.bicep.v0");
            writer.WriteString("path", BicepModuleFile.CopyNextToManifest(context, builder, template, name));
            writer.WriteStartObject("params");
            writer.WriteString("containerAppsEnvironmentId", "{.outputs.AZURE_CONTAINER_APPS_ENVIRONMENT_ID}");
            // The project's own image: for the web app it carries the worker too (azd gives a module no other service's image).
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
