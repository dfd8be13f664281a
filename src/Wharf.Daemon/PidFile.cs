using System.Globalization;

namespace Wharf.Daemon;

/// <summary>dockerd's pidfile rule: refuse to start while the recorded process is alive.</summary>
internal sealed class PidFile : IDisposable
{
    private readonly string _path;

    public PidFile(string path)
    {
        _path = path;
        if (File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            && pid != Environment.ProcessId && Directory.Exists("/proc/" + pid.ToString(CultureInfo.InvariantCulture)))
        {
            throw new DaemonStartException($"pid file found, ensure wharfd is not running or delete {path}");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
    }

    public void Dispose()
    {
        try
        {
            File.Delete(_path);
        }
        catch (IOException)
        {
        }
    }
}
