namespace Wharf.Linux;

/// <summary>
/// open(2) flags by meaning; <see cref="PosixAt"/> maps them to the architecture's values
/// (O_DIRECTORY and O_NOFOLLOW differ between x86_64 and arm64). O_CLOEXEC is always added.
/// </summary>
[Flags]
public enum OpenOptions
{
    ReadOnly = 0,
    WriteOnly = 1,
    Create = 2,
    Exclusive = 4,
    Truncate = 8,

    /// <summary>Fail unless the path is a directory.</summary>
    Directory = 16,

    /// <summary>Fail with ELOOP when the final component is a symlink.</summary>
    NoFollow = 32,

    /// <summary>O_PATH: a handle for *at calls and fstat only, without opening the file for I/O.</summary>
    Path = 64,

    /// <summary>Never block on open (a FIFO swapped in for a file must not hang the caller).</summary>
    NonBlock = 128,
}
