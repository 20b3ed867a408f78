using Google.Protobuf;

namespace IntegrationTests;

/// <summary>
/// One protobuf message of an OTLP request, read field by field with Google.Protobuf's wire-format reader; the field
/// numbers come from the OTLP definitions (opentelemetry-proto), named where they are used. No generated OTLP types are
/// available to this solution, and the tests need only a few fields.
/// </summary>
public sealed class OtlpMessage
{
    private readonly List<(int Field, object Value)> _fields = [];

    private OtlpMessage(ByteString bytes)
    {
        var input = new CodedInputStream(bytes.ToByteArray());
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            var field = WireFormat.GetTagFieldNumber(tag);
            object value = WireFormat.GetTagWireType(tag) switch
            {
                WireFormat.WireType.Varint => input.ReadUInt64(),
                WireFormat.WireType.Fixed64 => input.ReadFixed64(),
                WireFormat.WireType.Fixed32 => input.ReadFixed32(),
                WireFormat.WireType.LengthDelimited => input.ReadBytes(),
                var other => throw new InvalidDataException($"Unexpected wire type {other} for field {field}."),
            };
            _fields.Add((field, value));
        }
    }

    public static OtlpMessage Parse(byte[] body) => new(ByteString.CopyFrom(body));

    /// <summary>The embedded messages in <paramref name="field"/> (a repeated or single message field).</summary>
    public IEnumerable<OtlpMessage> Messages(int field) => Values<ByteString>(field).Select(bytes => new OtlpMessage(bytes));

    /// <summary>The string in <paramref name="field"/>, or null.</summary>
    public string? String(int field) => Values<ByteString>(field).Select(bytes => bytes.ToStringUtf8()).SingleOrDefault();

    /// <summary>The 64-bit fixed value in <paramref name="field"/> (fixed64, sfixed64 or double), or null.</summary>
    public ulong? Fixed64(int field) => Values<ulong>(field).Cast<ulong?>().SingleOrDefault();

    /// <summary>The attributes in <paramref name="field"/> (repeated KeyValue: key 1, AnyValue 2 with string 1 or int 3).</summary>
    public Dictionary<string, string> Attributes(int field) => Messages(field).ToDictionary(
        kv => kv.String(1)!,
        kv => kv.Messages(2).Single() is var value && value.String(1) is { } text ? text : value.Values<ulong>(3).Single().ToString(System.Globalization.CultureInfo.InvariantCulture));

    private IEnumerable<T> Values<T>(int field) => _fields.Where(f => f.Field == field).Select(f => (T)f.Value);
}
