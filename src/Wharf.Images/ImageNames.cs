using Wharf.Core.Errors;
using Wharf.Oci;
using Wharf.Oci.References;

namespace Wharf.Images;

/// <summary>
/// The one place the image service turns user-given names into store keys (full, normalised
/// references such as <c>docker.io/library/busybox:latest</c>) and back into the familiar forms
/// docker prints.
/// </summary>
internal static class ImageNames
{
    /// <summary>Parses a name to its full reference with <c>latest</c> added; null when it is not a valid reference.</summary>
    public static string? TryFull(string name, out string? error)
    {
        error = null;
        try
        {
            var r = ImageReference.ParseNormalizedNamed(name).WithDefaultTag();
            return r.ToString();
        }
        catch (FormatException e)
        {
            error = e.Message;
            return null;
        }
    }

    /// <summary>The full reference for a repository and optional tag given to <c>docker tag</c>.</summary>
    public static string ForTag(string repository, string? tag)
    {
        ImageReference r;
        try
        {
            r = ImageReference.ParseNormalizedNamed(repository);
        }
        catch (FormatException e)
        {
            throw WharfException.Invalid(e.Message, e);
        }

        if (r.Digest is not null)
        {
            throw WharfException.Invalid("refusing to create a tag with a digest reference");
        }

        if (Digest.IsLowerHex(r.Path.AsSpan(r.Path.LastIndexOf('/') + 1)) && r.Path.Length - r.Path.LastIndexOf('/') - 1 == 64)
        {
            throw WharfException.Invalid($"invalid repository name ({r.Path}), cannot specify 64-byte hexadecimal strings");
        }

        if (!string.IsNullOrEmpty(tag))
        {
            if (!ImageReference.IsValidTag(tag))
            {
                throw WharfException.Invalid("invalid tag format");
            }

            return r.WithTag(tag).ToString();
        }

        return r.WithDefaultTag().ToString();
    }

    /// <summary>What <c>docker images</c> shows: <c>busybox:latest</c>, <c>user/app@sha256:...</c>.</summary>
    public static string Familiar(string full) => ImageReference.ParseNormalizedNamed(full).FamiliarString;

    /// <summary>The familiar repository name without tag or digest.</summary>
    public static string FamiliarRepo(string full) => ImageReference.ParseNormalizedNamed(full).FamiliarName;

    /// <summary>The full repository name without tag or digest.</summary>
    public static string Repo(string full) => ImageReference.ParseNormalizedNamed(full).Name;

    public static string? TagOf(string full) => ImageReference.ParseNormalizedNamed(full).Tag;

    public static bool IsDigestRef(string full) => ImageReference.ParseNormalizedNamed(full).Digest is not null;

    /// <summary>True when <paramref name="name"/> names a repository with neither tag nor digest.</summary>
    public static bool IsBareRepo(string name)
    {
        try
        {
            var r = ImageReference.ParseNormalizedNamed(name);
            return r.Tag is null && r.Digest is null;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
