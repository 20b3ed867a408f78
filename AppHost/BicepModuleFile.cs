using Aspire.Hosting.Publishing;

namespace AppHost;

/// <summary>A Bicep module of <c>infra/</c>, written next to the deployment manifest for azd.</summary>
internal static class BicepModuleFile
{
    /// <summary>
    /// Copies <paramref name="template"/> (relative to the AppHost's folder) next to the manifest as
    /// <c>{name}.module.bicep</c> and returns its path relative to the manifest, as the manifest's <c>path</c> needs it:
    /// azd resolves a module's path relative to the manifest, which it writes to a temporary folder of its own.
    /// </summary>
    public static string CopyNextToManifest(ManifestPublishingContext context, IDistributedApplicationBuilder builder,
        string template, string name)
    {
        var moduleFile = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(context.ManifestPath))!, $"{name}.module.bicep");
        File.Copy(Path.GetFullPath(template, builder.AppHostDirectory), moduleFile, overwrite: true);
        return context.GetManifestRelativePath(moduleFile)!;
    }
}
