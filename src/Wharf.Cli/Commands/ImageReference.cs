using Wharf.Cli.Cli;

namespace Wharf.Cli.Commands;

/// <summary>Just enough of distribution/reference: split "name[:tag][@digest]" and show familiar names.</summary>
internal sealed record ImageReference(string Name, string? Tag, string? Digest)
{
    public static ImageReference Parse(string s)
    {
        string? digest = null;
        int at = s.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = s[(at + 1)..];
            s = s[..at];
        }
        string? tag = null;
        int colon = s.LastIndexOf(':');
        if (colon > s.LastIndexOf('/'))
        {
            tag = s[(colon + 1)..];
            s = s[..colon];
        }
        if (s.Length == 0)
        {
            throw new CliErrorException("invalid reference format");
        }
        if (s.Any(char.IsUpper))
        {
            throw new CliErrorException($"invalid reference format: repository name ({Familiar(s)}) must be lowercase");
        }
        return new ImageReference(s, tag, digest);
    }

    /// <summary>reference.FamiliarName: "docker.io/library/busybox" becomes "busybox".</summary>
    public static string Familiar(string name)
    {
        if (name.StartsWith("docker.io/", StringComparison.Ordinal))
        {
            name = name["docker.io/".Length..];
        }
        if (name.StartsWith("library/", StringComparison.Ordinal) && name.IndexOf('/', "library/".Length) < 0)
        {
            name = name["library/".Length..];
        }
        return name;
    }
}
