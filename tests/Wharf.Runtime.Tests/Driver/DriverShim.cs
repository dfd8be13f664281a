using System.Diagnostics;

namespace Wharf.Runtime.Tests.Driver;

/// <summary>
/// The wharf-shim the driver tests use: $WHARF_SHIM, else out/wharf-shim from ./build.sh, else
/// compiled once per run from src/wharf-shim with build.sh's flags.
/// </summary>
internal static class DriverShim
{
    private static readonly Lazy<Task<string>> Built = new(FindOrBuildAsync);

    public static Task<string> PathAsync() => Built.Value;

    private static async Task<string> FindOrBuildAsync()
    {
        var env = Environment.GetEnvironmentVariable("WHARF_SHIM");
        if (!string.IsNullOrEmpty(env))
        {
            return File.Exists(env) ? env : throw new FileNotFoundException("WHARF_SHIM points at a missing file", env);
        }
        var root = RepoRoot();
        var built = Path.Combine(root, "out", "wharf-shim");
        var sources = Directory.GetFiles(Path.Combine(root, "src", "wharf-shim"), "*.*");
        if (File.Exists(built) && sources.All(s => File.GetLastWriteTimeUtc(s) <= File.GetLastWriteTimeUtc(built)))
        {
            return built;
        }

        var outDir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "wharf-drv-shim-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        var output = Path.Combine(outDir, "wharf-shim");
        var psi = new ProcessStartInfo("gcc") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-O2", "-Wall", "-Wextra", "-Werror", "-static", "-o", output })
        {
            psi.ArgumentList.Add(a);
        }
        foreach (var c in sources.Where(s => s.EndsWith(".c", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            psi.ArgumentList.Add(c);
        }
        using var gcc = Process.Start(psi)!;
        var stderr = gcc.StandardError.ReadToEndAsync();
        await gcc.WaitForExitAsync();
        if (gcc.ExitCode != 0)
        {
            throw new InvalidOperationException("gcc failed:\n" + await stderr);
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(outDir, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return output;
    }

    private static string RepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Wharf.slnx")))
        {
            dir = Path.GetDirectoryName(dir);
        }
        return dir ?? throw new InvalidOperationException("Wharf.slnx not found above " + AppContext.BaseDirectory);
    }
}
