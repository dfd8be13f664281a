using System.Net;

namespace Wharf.Distribution;

/// <summary>
/// A registry said no: the HTTP status and the spec's error code (MANIFEST_UNKNOWN, DENIED, ...).
/// Turned into Docker's messages and error kinds by <see cref="RegistryErrorTranslator"/>.
/// </summary>
internal sealed class RegistryException(HttpStatusCode status, string? code, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;

    public string? Code { get; } = code;

    /// <summary>Docker's errcode rendering: "manifest unknown: manifest unknown".</summary>
    public string Detail => Code is null ? Message : Code.ToLowerInvariant().Replace('_', ' ') + ": " + Message;
}
