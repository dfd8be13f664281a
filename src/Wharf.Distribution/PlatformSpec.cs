using System.Runtime.InteropServices;
using Wharf.Core.Errors;

namespace Wharf.Distribution;

/// <summary>The platform a pull asks for: <c>os/arch[/variant]</c>, the host's by default.</summary>
internal sealed record PlatformSpec(string Os, string Architecture, string? Variant)
{
    public static string HostArchitecture => RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.X86 => "386",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        System.Runtime.InteropServices.Architecture.S390x => "s390x",
        System.Runtime.InteropServices.Architecture.Ppc64le => "ppc64le",
        System.Runtime.InteropServices.Architecture.RiscV64 => "riscv64",
        var a => a.ToString().ToLowerInvariant(),
    };

    public static PlatformSpec Parse(string? platform)
    {
        if (string.IsNullOrEmpty(platform))
        {
            return new PlatformSpec("linux", HostArchitecture, null);
        }

        var parts = platform.ToLowerInvariant().Split('/');
        if (parts.Length > 3 || parts.Any(string.IsNullOrEmpty))
        {
            throw WharfException.Invalid($"\"{platform}\": unknown operating system or architecture: invalid argument");
        }

        if (parts[0] != "linux")
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
        return new PlatformSpec("linux", arch, parts.Length > 2 ? parts[2] : null);
    }

    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";
}
