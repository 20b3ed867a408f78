using Aspire.Hosting.ApplicationModel;

namespace SafeMigrations.Hosting;

/// <summary>
/// An output of a Bicep module that azd deploys, as the manifest names it: <c>{resource.outputs.name}</c>. azd turns it
/// into an output of its main.bicep (<c>RESOURCE_NAME</c>), kept in the azd environment, and substitutes it wherever a
/// connection string or deployment parameter uses it. It has no value in run mode.
/// </summary>
/// <remarks>
/// Written here because Aspire's own (<c>BicepOutputReference</c>, Aspire.Hosting.Azure) is not available to this
/// library; where it is, that package replaces this type.
/// </remarks>
public sealed class BicepModuleOutput : IManifestExpressionProvider, IValueProvider, IValueWithReferences
{
    private readonly IResource _module;

    internal BicepModuleOutput(IResource module, string name)
    {
        _module = module;
        Name = name;
    }

    /// <summary>The module's output name.</summary>
    public string Name { get; }

    /// <inheritdoc />
    public string ValueExpression => $"{{{_module.Name}.outputs.{Name}}}";

    IEnumerable<object> IValueWithReferences.References => [_module];

    /// <inheritdoc />
    public ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException($"{ValueExpression} is known only to a deployment (azd); it has no value when the AppHost runs.");
}
