using System.Collections;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace SafeMigrations.Worker;

/// <summary>A fingerprint of what a migration applies: SHA-256 over its Up operations in a canonical JSON form.</summary>
/// <remarks>
/// Why the operations and not the SQL: the same migration generates different SQL after an EF Core or Npgsql upgrade
/// (quoting, a new default, a provider fix), and a checksum of the SQL would then call every applied migration edited.
/// The operations are what the migration's author wrote. They are written with properties in name order, annotations
/// included, and properties at their default value left out, so a property added by a library upgrade changes nothing
/// unless a migration sets it. Left: an upgrade that models an operation differently would change the checksum; the
/// mismatch message names that cause, and <c>--repair</c> accepts the new value. The Down is not part of it: it is not
/// what was applied. Line ends in strings count as LF, whatever the checkout.
/// </remarks>
internal static class MigrationChecksum
{
    private static readonly JsonSerializerOptions Canonical = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
        Converters = { new TypeNameConverter(), new LineEndingConverter() },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { Canonicalize } },
    };

    /// <summary>The checksum of migration <paramref name="id"/> of <paramref name="migrations"/>, as the provider sees it.</summary>
    public static string Of(IMigrationsAssembly migrations, string providerName, string id) =>
        Of(migrations.CreateMigration(migrations.Migrations[id], providerName));

    /// <summary>64 lower-case hex digits.</summary>
    public static string Of(Migration migration)
    {
        var operations = new JsonArray([
            .. migration.UpOperations.Select(o => new JsonObject
            {
                ["Type"] = o.GetType().Name,
                ["Operation"] = JsonSerializer.SerializeToNode(o, o.GetType(), Canonical),
            }),
        ]);
        var json = operations.ToJsonString();
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
    }

    private static void Canonicalize(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        var properties = type.Properties.Where(p => p.Name != nameof(Annotatable.IsReadOnly)).ToList();
        foreach (var list in properties.Where(p => p.PropertyType != typeof(string) && typeof(IEnumerable).IsAssignableFrom(p.PropertyType)))
        {
            // An empty list is a default too (CreateTable's CheckConstraints, say).
            list.ShouldSerialize = (_, value) => value is IEnumerable items && items.GetEnumerator().MoveNext();
        }

        if (typeof(IAnnotatable).IsAssignableFrom(type.Type))
        {
            var annotations = type.CreateJsonPropertyInfo(typeof(SortedDictionary<string, object?>), "Annotations");
            annotations.Get = o => new SortedDictionary<string, object?>(
                ((IAnnotatable)o).GetAnnotations().ToDictionary(a => a.Name, a => a.Value), StringComparer.Ordinal);
            annotations.ShouldSerialize = (_, value) => ((SortedDictionary<string, object?>)value!).Count > 0;
            properties.Add(annotations);
        }

        type.Properties.Clear();
        foreach (var property in properties.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            type.Properties.Add(property);
        }
    }

    /// <summary>Strings with LF line ends: a checkout with CRLF (Windows) leaves the SQL of a migration the same.</summary>
    private sealed class LineEndingConverter : JsonConverter<string>
    {
        public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("Checksums are only written.");

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ReplaceLineEndings("\n"));
    }

    /// <summary>A CLR type (a column's <c>ClrType</c>) by its full name; System.Text.Json does not write types itself.</summary>
    private sealed class TypeNameConverter : JsonConverter<Type>
    {
        public override Type Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("Checksums are only written.");

        public override void Write(Utf8JsonWriter writer, Type value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.FullName);
    }
}
