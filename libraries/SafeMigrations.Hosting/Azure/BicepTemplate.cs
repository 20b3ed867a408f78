using System.Text;
using Aspire.Hosting.Publishing;

namespace SafeMigrations.Hosting;

/// <summary>
/// A Bicep module of this library (an embedded resource under <c>Azure/Templates/</c>), filled in for one deployment and
/// written next to the manifest, where azd resolves a module's path.
/// </summary>
/// <remarks>
/// A template marks what the AppHost fills in as <c>{{name}}</c>: inside a line, a value (a resource name); alone on a
/// line, whole lines (a parameter, a secret, an environment variable per connection string), indented as the marker is.
/// Bicep has loops, but a module's parameters are fixed: one per connection string is what keeps each a <c>@secure()</c>
/// parameter of its own.
/// </remarks>
internal sealed class BicepTemplate
{
    private string _text;

    private BicepTemplate(string text) => _text = text;

    /// <summary>The template <paramref name="fileName"/> of <c>Azure/Templates/</c>.</summary>
    public static BicepTemplate Load(string fileName)
    {
        using var stream = typeof(BicepTemplate).Assembly.GetManifestResourceStream($"SafeMigrations.Hosting.Templates.{fileName}")
            ?? throw new InvalidOperationException($"The Bicep template '{fileName}' is not embedded in {typeof(BicepTemplate).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return new BicepTemplate(reader.ReadToEnd());
    }

    /// <summary>Replaces <c>{{name}}</c> inside lines with <paramref name="value"/>.</summary>
    public BicepTemplate Replace(string name, string value)
    {
        _text = _text.Replace("{{" + name + "}}", value, StringComparison.Ordinal);
        return this;
    }

    /// <summary>Replaces the line <c>{{name}}</c> with <paramref name="lines"/>, each indented as the marker was (none: the line goes).</summary>
    public BicepTemplate ReplaceLines(string name, IEnumerable<string> lines)
    {
        var marker = "{{" + name + "}}";
        var result = new StringBuilder();
        foreach (var line in _text.Split('\n'))
        {
            if (line.Trim() == marker)
            {
                var indent = line[..line.IndexOf(marker, StringComparison.Ordinal)];
                foreach (var inserted in lines.SelectMany(l => l.Split('\n')))
                {
                    result.Append(inserted.Length == 0 ? "" : indent + inserted).Append('\n');
                }
            }
            else
            {
                result.Append(line).Append('\n');
            }
        }

        _text = result.ToString(0, result.Length - 1);
        return this;
    }

    /// <summary>
    /// Writes the module next to the manifest as <c>{name}.module.bicep</c> and returns its path relative to the
    /// manifest, as the manifest's <c>path</c> needs it: azd writes the manifest to a temporary folder of its own.
    /// </summary>
    public string WriteNextToManifest(ManifestPublishingContext context, string name)
    {
        if (_text.Contains("{{", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The Bicep module for '{name}' still has a '{{{{…}}}}' marker: the template and the code disagree.");
        }

        var moduleFile = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(context.ManifestPath))!, $"{name}.module.bicep");
        File.WriteAllText(moduleFile, _text);
        return context.GetManifestRelativePath(moduleFile)!;
    }
}
