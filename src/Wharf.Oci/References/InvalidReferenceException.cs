namespace Wharf.Oci.References;

/// <summary>
/// A string that is not a valid image reference. <see cref="Exception.Message"/> is exactly the
/// text Docker's distribution/reference and go-digest libraries give, because clients and users
/// match on it (e.g. <c>invalid reference format</c>).
/// </summary>
public sealed class InvalidReferenceException : FormatException
{
    public InvalidReferenceException()
        : base(ReferenceErrors.InvalidFormat)
    {
    }

    public InvalidReferenceException(string message)
        : base(message)
    {
    }

    public InvalidReferenceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
