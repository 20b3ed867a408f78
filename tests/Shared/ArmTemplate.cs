using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TestSupport;

/// <summary>Reading a compiled ARM template (what <c>bicep build</c> gives) the way a test needs to.</summary>
public static partial class ArmTemplate
{
    /// <summary>The template's resources, in either of the two forms Bicep emits.</summary>
    public static IEnumerable<JsonNode> Resources(JsonNode template) =>
        template["resources"] switch
        {
            JsonArray array => array.Select(r => r!),
            JsonObject symbolic => symbolic.Select(r => r.Value!), // languageVersion 2.0 templates name their resources
            _ => [],
        };

    /// <summary><paramref name="node"/> as compact JSON, with ARM expressions' quotes as they are (not <c>\u0027</c>).</summary>
    public static string Text(JsonNode node) => node.ToJsonString(Readable);

    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The value of a <c>[variables('name')]</c> expression; any other text is returned as it is.</summary>
    public static string Variable(JsonNode template, string expression) =>
        VariableReference().Match(expression) is { Success: true } match
            ? (string)template["variables"]![match.Groups[1].Value]!
            : expression;

    /// <summary>The value of the secret named <paramref name="secretRef"/> (a variable reference or a name) in <paramref name="secrets"/>.</summary>
    public static string SecretValue(JsonNode template, JsonArray secrets, string secretRef) =>
        (string)secrets.Single(s => Variable(template, (string)s!["name"]!) == Variable(template, secretRef))!["value"]!;

    [GeneratedRegex(@"^\[variables\('([^']+)'\)\]$")]
    private static partial Regex VariableReference();
}
