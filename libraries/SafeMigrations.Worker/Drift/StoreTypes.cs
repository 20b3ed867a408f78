using System.Text.RegularExpressions;

namespace SafeMigrations.Worker;

/// <summary>
/// Column types and defaults as both sides of <c>--drift</c> can compare them: EF Core writes a type the way the model
/// says it (<c>varchar(200)</c>, <c>int4</c>), PostgreSQL's catalog the way <c>format_type</c> spells it
/// (<c>character varying(200)</c>, <c>integer</c>); a default comes back from the catalog with casts added
/// (<c>'open'::text</c>). Hand-written because neither EF Core nor Npgsql exposes PostgreSQL's canonical spelling.
/// </summary>
internal static partial class StoreTypes
{
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["int"] = "integer", ["int4"] = "integer", ["serial"] = "integer", ["serial4"] = "integer",
        ["int8"] = "bigint", ["bigserial"] = "bigint", ["serial8"] = "bigint",
        ["int2"] = "smallint", ["smallserial"] = "smallint", ["serial2"] = "smallint",
        ["bool"] = "boolean", ["float8"] = "double precision", ["float4"] = "real", ["float"] = "double precision",
        ["decimal"] = "numeric", ["varchar"] = "character varying", ["char"] = "character", ["bpchar"] = "character",
        ["timestamptz"] = "timestamp with time zone", ["timestamp"] = "timestamp without time zone",
        ["timetz"] = "time with time zone", ["time"] = "time without time zone", ["varbit"] = "bit varying",
    };

    /// <summary><paramref name="type"/> as <c>format_type</c> spells it: aliases resolved, lower case, single spaces.</summary>
    public static string Normalize(string type)
    {
        var text = Spaces().Replace(type.Trim().ToLowerInvariant(), " ").Replace(" (", "(", StringComparison.Ordinal);
        var array = text.EndsWith("[]", StringComparison.Ordinal) ? "[]" : "";
        text = text[..^array.Length];
        var parenthesis = text.IndexOf('(', StringComparison.Ordinal);
        var (name, modifier) = parenthesis < 0 ? (text, "") : (text[..parenthesis], text[parenthesis..].Replace(" ", "", StringComparison.Ordinal));
        // "timestamp(3) with time zone": the modifier sits inside the name.
        var suffix = "";
        if (modifier.IndexOf(')', StringComparison.Ordinal) is var close and >= 0 && close < modifier.Length - 1)
        {
            suffix = modifier[(close + 1)..];
            modifier = modifier[..(close + 1)];
        }

        name = Aliases.GetValueOrDefault(name, name);
        return suffix.Length > 0 || !name.Contains(" with", StringComparison.Ordinal) || modifier.Length == 0
            ? name + modifier + suffix + array
            : name.Replace(" with", modifier + " with", StringComparison.Ordinal) + array;
    }

    /// <summary>
    /// A default expression without the casts and outer parentheses PostgreSQL adds when it stores one, in lower case:
    /// <c>'open'::text</c> and <c>'open'</c> compare equal, <c>now()</c> and <c>NOW()</c> too (a quoted literal that
    /// differs only in case would also compare equal: a rare miss, never a false report).
    /// </summary>
    public static string Default(string expression)
    {
        var text = expression.Trim();
        while (text.StartsWith('(') && text.EndsWith(')') && Balanced(text[1..^1]))
        {
            text = text[1..^1].Trim();
        }

        text = Casts().Replace(text, "");
        // PostgreSQL quotes a negative number it casts ('-1'::integer); EF Core writes -1.
        if (QuotedNumber().Match(text) is { Success: true } number)
        {
            text = number.Groups[1].Value;
        }

        return text.ToLowerInvariant();
    }

    private static bool Balanced(string text)
    {
        var depth = 0;
        foreach (var c in text)
        {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth < 0)
            {
                return false;
            }
        }

        return depth == 0;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"::[a-z_ ]+(\(\d+(,\s*\d+)?\))?(\[\])?", RegexOptions.IgnoreCase)]
    private static partial Regex Casts();

    [GeneratedRegex(@"^'(-?\d+(\.\d+)?)'$")]
    private static partial Regex QuotedNumber();
}
