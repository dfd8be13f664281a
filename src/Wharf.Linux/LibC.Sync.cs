using System.Runtime.InteropServices;

namespace Wharf.Linux;

internal static partial class LibC
{
    [LibraryImport(Lib, EntryPoint = "fsync", SetLastError = true)]
    public static partial int Fsync(int fd);
}
