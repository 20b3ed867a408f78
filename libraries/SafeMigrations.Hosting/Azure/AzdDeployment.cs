using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Publishing;

namespace SafeMigrations.Hosting;

/// <summary>
/// A project deployed by <c>azd</c> with a Bicep module of this library instead of azd's own Container App template: in
/// the deployment manifest, a <c>project.v1</c> entry whose <c>deployment</c> names the module (written next to the
/// manifest) and its parameters. azd builds and pushes the project's image, then deploys the module with the
/// <c>{…}</c> placeholders of the parameters resolved; every value is a string. Nothing changes in run mode.
/// </summary>
/// <remarks>
/// Written here because Aspire's Azure Container Apps integration (Aspire.Hosting.Azure.AppContainers, with
/// <c>PublishAsAzureContainerAppJob</c> and <c>WithHttpProbe</c>) is not available to this library.
/// </remarks>
internal static class AzdDeployment
{
    /// <summary>What a module gets: its file (relative to the manifest), its parameters, and the resources they reference.</summary>
    public sealed record Module(string Path, IReadOnlyList<KeyValuePair<string, string>> Parameters, IReadOnlyList<object> References);

    /// <summary>
    /// Publishes <paramref name="project"/> with the module <paramref name="write"/> gives when the manifest is written
    /// (when every reference of the graph is known). azd's own parameters come first: the environment, the project's
    /// image, the registry and its identity.
    /// </summary>
    public static void PublishAsModule(IResourceBuilder<ProjectResource> project, Func<ManifestPublishingContext, Task<Module>> write)
    {
        if (!project.ApplicationBuilder.ExecutionContext.IsPublishMode)
        {
            return;
        }

        var name = project.Resource.Name;

        // The deployment target only carries the callback that writes "deployment"; it is not part of the model.
        var target = new ModuleDeploymentTarget($"{name}-module");
        target.Annotations.Add(new ManifestPublishingCallbackAnnotation(async context =>
        {
            var module = await write(context);
            var writer = context.Writer;
            writer.WriteString("type", "azure.bicep.v0");
            writer.WriteString("path", module.Path);
            writer.WriteStartObject("params");
            writer.WriteString("containerAppsEnvironmentId", "{.outputs.AZURE_CONTAINER_APPS_ENVIRONMENT_ID}");
            // The project's own image: azd gives a module no other service's image.
            writer.WriteString("containerImage", $"{{{name}.containerImage}}");
            writer.WriteString("containerRegistryEndpoint", "{.outputs.AZURE_CONTAINER_REGISTRY_ENDPOINT}");
            writer.WriteString("managedIdentityId", "{.outputs.AZURE_CONTAINER_REGISTRY_MANAGED_IDENTITY_ID}");
            foreach (var (key, value) in module.Parameters)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
            foreach (var reference in module.References)
            {
                context.TryAddDependentResources(reference);
            }
        }));

        // Replaces a module set earlier for the same project: the last call describes the deployment.
        foreach (var earlier in project.Resource.Annotations.OfType<DeploymentTargetAnnotation>().Where(a => a.DeploymentTarget is ModuleDeploymentTarget).ToList())
        {
            project.Resource.Annotations.Remove(earlier);
        }

        project.WithAnnotation(new DeploymentTargetAnnotation(target));
    }

    /// <summary>The connection strings <paramref name="resource"/> reads, by the name it reads each under, as its environment declares them when published.</summary>
    public static async Task<List<(string ConnectionName, IResourceWithConnectionString Resource)>> ConnectionStringsOfAsync(
        IResource resource, DistributedApplicationExecutionContext executionContext)
    {
        var context = new EnvironmentCallbackContext(executionContext, resource);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        const string prefix = "ConnectionStrings__";
        return [.. context.EnvironmentVariables
            .Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal) && e.Value is ConnectionStringReference)
            .Select(e => (e.Key[prefix.Length..], ((ConnectionStringReference)e.Value).Resource))
            // Aspire passes a name with a dash also with an underscore: one secret per connection string.
            .DistinctBy(e => e.Resource)];
    }

    private sealed class ModuleDeploymentTarget(string name) : Resource(name);
}
