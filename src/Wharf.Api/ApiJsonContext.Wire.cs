using System.Text.Encodings.Web;
using System.Text.Json;

namespace Wharf.Api;

public sealed partial class ApiJsonContext
{
    /// <summary>
    /// The context used on the wire: like Go's encoder it leaves '+' and non-ASCII text as they
    /// are instead of writing \u escapes.
    /// </summary>
    public static ApiJsonContext Wire { get; } = new(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
