using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Wharf.Linux;

/// <summary>
/// Starts the kernel writing a range of a file to disk without waiting for it
/// (sync_file_range with SYNC_FILE_RANGE_WRITE). A writer that will fsync at the end calls
/// this as it goes, so the disk works while the data is still being produced and the final
/// fsync waits only for the tail. Best effort: a kernel or file system that refuses is ignored,
/// the final fsync still makes the data durable.
/// </summary>
public static class Writeback
{
    private const uint SyncFileRangeWrite = 2;

    public static void Start(SafeFileHandle file, long offset, long length)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (length <= 0)
        {
            return;
        }

        var added = false;
        file.DangerousAddRef(ref added);
        try
        {
            _ = LibC.SyncFileRange((int)file.DangerousGetHandle(), offset, length, SyncFileRangeWrite);
        }
        finally
        {
            if (added)
            {
                file.DangerousRelease();
            }
        }
    }
}
