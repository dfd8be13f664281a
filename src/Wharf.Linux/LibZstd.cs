using System.Runtime.InteropServices;

namespace Wharf.Linux;

/// <summary>
/// Imports from the host's libzstd (the streaming decompression API). Kept internal: callers use
/// <see cref="ZstdDecompressStream"/>, and ask <see cref="Zstd.IsAvailable"/> first.
/// </summary>
internal static unsafe partial class LibZstd
{
    // The soname, not "libzstd": Debian ships the unversioned .so only in libzstd-dev.
    public const string Lib = "libzstd.so.1";

    [StructLayout(LayoutKind.Sequential)]
    public struct InBuffer
    {
        public byte* Src;
        public nuint Size;
        public nuint Pos;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct OutBuffer
    {
        public byte* Dst;
        public nuint Size;
        public nuint Pos;
    }

    [LibraryImport(Lib, EntryPoint = "ZSTD_createDStream")]
    public static partial nint CreateDStream();

    [LibraryImport(Lib, EntryPoint = "ZSTD_freeDStream")]
    public static partial nuint FreeDStream(nint stream);

    [LibraryImport(Lib, EntryPoint = "ZSTD_initDStream")]
    public static partial nuint InitDStream(nint stream);

    [LibraryImport(Lib, EntryPoint = "ZSTD_decompressStream")]
    public static partial nuint DecompressStream(nint stream, OutBuffer* output, InBuffer* input);

    [LibraryImport(Lib, EntryPoint = "ZSTD_isError")]
    public static partial uint IsError(nuint code);

    [LibraryImport(Lib, EntryPoint = "ZSTD_getErrorName")]
    public static partial nint GetErrorName(nuint code);

    [LibraryImport(Lib, EntryPoint = "ZSTD_DStreamInSize")]
    public static partial nuint DStreamInSize();

    [LibraryImport(Lib, EntryPoint = "ZSTD_versionString")]
    public static partial nint VersionString();

    public static string ErrorName(nuint code) => Marshal.PtrToStringUTF8(GetErrorName(code)) ?? "unknown error";
}
