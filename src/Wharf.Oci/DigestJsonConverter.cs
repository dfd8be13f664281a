using System.Text.Json;
using System.Text.Json.Serialization;

namespace Wharf.Oci;

/// <summary>Digests travel as their <c>alg:hex</c> string.</summary>
public sealed class DigestJsonConverter : JsonConverter<Digest>
{
    public override Digest Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => Digest.TryParse(reader.GetString(), out var d) ? d : throw new JsonException("invalid digest");

    public override void Write(Utf8JsonWriter writer, Digest value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.Value);
    }
}
