using System.Runtime.InteropServices;

namespace Wharf.Linux;

/// <summary>Whether the host's libzstd can be loaded, and which version it is.</summary>
public static class Zstd
{
    private static readonly Lazy<string?> Loaded = new(Probe);

    /// <summary>True when libzstd.so.1 loads; zstd layers need it.</summary>
    public static bool IsAvailable => Loaded.Value is not null;

    /// <summary>The library's version ("1.5.4"), or null when it is absent.</summary>
    public static string? Version => Loaded.Value;

    private static string? Probe()
    {
        if (!NativeLibrary.TryLoad(LibZstd.Lib, out var handle))
        {
            return null;
        }

        NativeLibrary.Free(handle);
        return Marshal.PtrToStringUTF8(LibZstd.VersionString()) ?? "";
    }
}
