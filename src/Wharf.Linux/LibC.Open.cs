using System.Runtime.InteropServices;

namespace Wharf.Linux;

internal static partial class LibC
{
    public const int OWronly = 0x1;
    public const int ONonblock = 0x800;
    public const int OCloexec = 0x80000;

    [LibraryImport(Lib, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags, uint mode);
}
