namespace Wharf.Registry.Errors;

/// <summary>A failure the client sees as a spec-shaped JSON error body.</summary>
internal sealed class RegistryException : Exception
{
    public RegistryException(RegistryErrorKind kind, string message, string? detail = null)
        : base(message)
    {
        Kind = kind;
        Detail = detail;
    }

    public RegistryException()
        : this(RegistryErrorKind.Unsupported, "unsupported")
    {
    }

    public RegistryException(string message)
        : this(RegistryErrorKind.Unsupported, message)
    {
    }

    public RegistryException(string message, Exception innerException)
        : base(message, innerException)
    {
        Kind = RegistryErrorKind.Unsupported;
    }

    public RegistryErrorKind Kind { get; }

    /// <summary>Free-form detail for the error body (a digest, a name), or null.</summary>
    public string? Detail { get; }
}
