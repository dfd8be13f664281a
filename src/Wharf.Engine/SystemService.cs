using System.Runtime.InteropServices;
using Wharf.Core.Images;
using Wharf.Core.System;

namespace Wharf.Engine;

/// <summary>Collects host and daemon facts for <c>/info</c>; reads /proc and /etc, nothing else.</summary>
public sealed class SystemService : ISystemService
{
    private readonly EngineSettings _settings;
    private readonly IImageService _images;
    private readonly Containers.ContainerStore _containers;
    private readonly TimeProvider _time;
    private readonly Lazy<(string Kernel, string Os, string OsVersion, long Mem, string CgroupVersion)> _host;

    public SystemService(EngineSettings settings, IImageService images, Containers.ContainerStore containers, TimeProvider time)
    {
        _settings = settings;
        _images = images;
        _containers = containers;
        _time = time;
        _host = new Lazy<(string, string, string, long, string)>(ReadHost);
    }

    public SystemFacts GetFacts()
    {
        var host = _host.Value;
        var states = _containers.All().Select(c => c.State.Status).ToList();
        return new SystemFacts
        {
            ContainersRunning = states.Count(s => s is "running" or "restarting"),
            ContainersPaused = states.Count(s => s == "paused"),
            ContainersStopped = states.Count(s => s is not ("running" or "restarting" or "paused")),
            Id = _settings.EngineId,
            Name = Environment.MachineName,
            DataRoot = _settings.DataRoot,
            ExecRoot = _settings.ExecRoot,
            StorageDriver = _settings.StorageDriver,
            KernelVersion = host.Kernel,
            OperatingSystem = host.Os,
            OsVersion = host.OsVersion,
            Architecture = RuntimeInformation.OSArchitecture switch
            {
                Architecture.X64 => "x86_64",
                Architecture.Arm64 => "aarch64",
                var a => a.ToString().ToLowerInvariant(),
            },
            Cpus = Environment.ProcessorCount,
            MemTotal = host.Mem,
            CgroupDriver = "cgroupfs",
            CgroupVersion = host.CgroupVersion,
            Debug = _settings.Debug,
            LoggingDriver = "json-file",
            Labels = _settings.Labels,
            RegistryMirrors = _settings.RegistryMirrors,
            InsecureRegistries = _settings.InsecureRegistries,
            Runtimes = _settings.Runtimes,
            DefaultRuntime = _settings.DefaultRuntime,
            SystemTime = _time.GetLocalNow(),
            Images = _images.Count,
            HttpProxy = Environment.GetEnvironmentVariable("HTTP_PROXY") ?? Environment.GetEnvironmentVariable("http_proxy") ?? "",
            HttpsProxy = Environment.GetEnvironmentVariable("HTTPS_PROXY") ?? Environment.GetEnvironmentVariable("https_proxy") ?? "",
            NoProxy = Environment.GetEnvironmentVariable("NO_PROXY") ?? Environment.GetEnvironmentVariable("no_proxy") ?? "",
        };
    }

    private static (string, string, string, long, string) ReadHost()
    {
        var kernel = TryRead("/proc/sys/kernel/osrelease")?.Trim() ?? Environment.OSVersion.Version.ToString();
        string os = "Linux", osVersion = "";
        foreach (var line in (TryRead("/etc/os-release") ?? "").Split('\n'))
        {
            if (line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
            {
                os = line["PRETTY_NAME=".Length..].Trim('"');
            }
            else if (line.StartsWith("VERSION_ID=", StringComparison.Ordinal))
            {
                osVersion = line["VERSION_ID=".Length..].Trim('"');
            }
        }

        long mem = 0;
        foreach (var line in (TryRead("/proc/meminfo") ?? "").Split('\n'))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 2 && long.TryParse(parts[1], out var kb))
                {
                    mem = kb * 1024;
                }
            }
        }

        // A pure v2 host has cgroup.controllers at the root of /sys/fs/cgroup.
        var cgroup = File.Exists("/sys/fs/cgroup/cgroup.controllers") ? "2" : "1";
        return (kernel, os, osVersion, mem, cgroup);
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
