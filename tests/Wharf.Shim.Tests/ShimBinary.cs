namespace Wharf.Shim.Tests;

/// <summary>
/// The wharf-shim binary under test: $WHARF_SHIM when set, otherwise compiled once per test run
/// from src/wharf-shim with the same flags build.sh uses.
/// </summary>
internal static class ShimBinary
{
    private static readonly Lazy<Task<string>> Built = new(BuildAsync);

    public static Task<string> PathAsync() => Built.Value;

    public static string RepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Wharf.slnx")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("Wharf.slnx not found above " + AppContext.BaseDirectory);
    }

    private static async Task<string> BuildAsync()
    {
        var env = Environment.GetEnvironmentVariable("WHARF_SHIM");
        if (!string.IsNullOrEmpty(env))
        {
            return File.Exists(env) ? env : throw new FileNotFoundException("WHARF_SHIM points at a missing file", env);
        }

        var src = Path.Combine(RepoRoot(), "src", "wharf-shim");
        var outDir = Path.Combine(Path.GetTempPath(), "wharf-shim-build-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(outDir);
        var output = Path.Combine(outDir, "wharf-shim");
        var args = new List<string> { "-O2", "-Wall", "-Wextra", "-Werror", "-static", "-o", output };
        args.AddRange(Directory.GetFiles(src, "*.c").Order(StringComparer.Ordinal));
        var r = await ProcessRunner.RunAsync("gcc", args, TimeSpan.FromMinutes(2));
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException("gcc failed:\n" + r.StdOut + r.StdErr);
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
}
