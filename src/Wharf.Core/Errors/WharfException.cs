namespace Wharf.Core.Errors;

/// <summary>An error with a kind; its message is what the user sees in Docker's <c>{"message": ...}</c>.</summary>
public sealed class WharfException : Exception
{
    public WharfException(ErrorKind kind, string message, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
    }

    public ErrorKind Kind { get; }

    public static WharfException NotFound(string message) => new(ErrorKind.NotFound, message);

    public static WharfException Invalid(string message, Exception? inner = null) => new(ErrorKind.InvalidArgument, message, inner);

    public static WharfException Conflict(string message) => new(ErrorKind.Conflict, message);

    public static WharfException NotImplemented(string message) => new(ErrorKind.NotImplemented, message);
}
