using System.Runtime.InteropServices;

namespace Wharf.Linux;

internal static partial class LibC
{
    public const int CloneNewNet = 0x40000000;

    [LibraryImport(Lib, EntryPoint = "setns", SetLastError = true)]
    public static partial int Setns(int fd, int nsType);
}
