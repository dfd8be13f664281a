using System.Runtime.InteropServices;
using Wharf.Core.Errors;

namespace Wharf.Images;

/// <summary>Parses <c>os/arch[/variant]</c> platform strings; the host platform is the default.</summary>
internal static class Platforms
{
    public static string HostArchitecture => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.X86 => "386",
        Architecture.Arm => "arm",
        Architecture.S390x => "s390x",
        Architecture.Ppc64le => "ppc64le",
        Architecture.RiscV64 => "riscv64",
        var a => a.ToString().ToLowerInvariant(),
    };

    public static (string Os, string Arch, string? Variant) Parse(string? platform)
    {
        if (string.IsNullOrEmpty(platform))
        {
            return ("linux", HostArchitecture, null);
        }

        var parts = platform.ToLowerInvariant().Split('/');
        if (parts.Length > 3 || parts.Any(string.IsNullOrEmpty))
        {
            throw WharfException.Invalid($"\"{platform}\": unknown operating system or architecture: invalid argument");
        }

        var os = parts[0];
        if (os != "linux")
        {
            throw WharfException.Invalid($"\"{platform}\": operating system is not supported");
        }

        var arch = parts.Length > 1 ? parts[1] : HostArchitecture;
        arch = arch switch
        {
            "x86_64" or "x86-64" => "amd64",
            "aarch64" => "arm64",
            _ => arch,
        };
        return (os, arch, parts.Length > 2 ? parts[2] : null);
    }
}
