namespace Wharf.Registry.Storage;

/// <summary>
/// A storage backend failed in a way the client cannot fix (a remote store down, refusing our
/// credentials, answering nonsense); the API answers 503 UNAVAILABLE instead of dropping the request.
/// </summary>
internal class StorageUnavailableException : IOException
{
    public StorageUnavailableException(string message)
        : base(message)
    {
    }

    public StorageUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
