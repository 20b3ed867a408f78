using System.Text.RegularExpressions;
using Aspire.Hosting.ApplicationModel;

namespace SafeMigrations.Hosting;

/// <summary>
/// A connection string a deployment module hands to its containers: a <c>@secure()</c> parameter of its own (azd fills
/// it from the manifest's reference, e.g. <c>{appdb.connectionString}</c>, so deployment history shows no value), one
/// secret of the app, and <c>ConnectionStrings__&lt;name&gt;</c> in the environment of each container that reads it.
/// </summary>
/// <param name="Parameter">The module's parameter, e.g. <c>appdbConnectionString</c>.</param>
/// <param name="Secret">The secret's name, e.g. <c>appdb-connection-string</c>.</param>
/// <param name="Resource">Whose connection string it is.</param>
internal sealed record ModuleSecret(string Parameter, string Secret, IResourceWithConnectionString Resource)
{
    /// <summary>The secret of <paramref name="resource"/>, named after <paramref name="nameParts"/> (e.g. the worker and the database).</summary>
    public static ModuleSecret For(IResourceWithConnectionString resource, params string[] nameParts) =>
        new(BicepName.Parameter([.. nameParts, "connection", "string"]), BicepName.Secret([.. nameParts, "connection", "string"]), resource);

    /// <summary>The parameter's declaration.</summary>
    public string Declaration => $"""
        @secure()
        @description('The connection string of {Resource.Name} ({Resource.ValueExpression}); it contains a password.')
        param {Parameter} string

        """;

    /// <summary>The entry in the app's <c>secrets</c>.</summary>
    public string SecretEntry => $$"""
        {
          name: '{{Secret}}'
          value: {{Parameter}}
        }
        """;

    /// <summary>The entry of a container's <c>env</c> that reads it as <c>ConnectionStrings:{connectionName}</c>.</summary>
    public string EnvironmentEntry(string connectionName) => $$"""
        {
          name: 'ConnectionStrings__{{connectionName}}'
          secretRef: '{{Secret}}'
        }
        """;
}

/// <summary>Names in a Bicep module, made from resource and connection names.</summary>
internal static partial class BicepName
{
    /// <summary>A parameter name: the words in camel case (<c>migrations</c>, <c>appdb-web</c> → <c>migrationsAppdbWeb</c>).</summary>
    public static string Parameter(params string[] parts)
    {
        var words = parts.SelectMany(part => NotAlphanumeric().Split(part)).Where(word => word.Length > 0).ToList();
        return string.Concat(words.Select((word, i) => i == 0
            ? char.ToLowerInvariant(word[0]) + word[1..]
            : char.ToUpperInvariant(word[0]) + word[1..]));
    }

    /// <summary>A Container Apps secret name: lower-case words joined by dashes.</summary>
    public static string Secret(params string[] parts) =>
        string.Join('-', parts.SelectMany(part => NotAlphanumeric().Split(part)).Where(word => word.Length > 0)).ToLowerInvariant();

    /// <summary>A string literal of Bicep.</summary>
    public static string Literal(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    [GeneratedRegex("[^A-Za-z0-9]+")]
    private static partial Regex NotAlphanumeric();
}
