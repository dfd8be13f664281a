using Wharf.Core.Errors;
using Wharf.Oci.Runtime;
using Wharf.Runtime.Spec.Seccomp;

using Wharf.Core.Containers.Spec;

namespace Wharf.Runtime.Spec;

/// <summary>
/// Turns a <see cref="ContainerSpecRequest"/> into an OCI runtime spec with Docker's defaults
/// (moby <c>daemon.createSpec</c>). Pure apart from reading the rootfs's passwd and group
/// files through <see cref="IRootfsUserFiles"/>; host details come in as <see cref="HostFacts"/>.
/// Errors are <see cref="WharfException"/>s of kind InvalidArgument with Docker's messages.
/// </summary>
public sealed partial class RuntimeSpecBuilder(IRootfsUserFiles userFiles, HostFacts host)
{
    /// <summary>Where <c>--init</c>'s binary is mounted in the container.</summary>
    public const string InitPathInContainer = "/sbin/docker-init";

    public RuntimeSpec Build(ContainerSpecRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var security = SecurityOptions.Parse(request.SecurityOpt);
        ResourceMapper.Validate(request.Resources);
        if (request.ShmSize < 0)
        {
            throw WharfException.Invalid("SHM size can not be less than 0");
        }

        var utsHost = request.UtsMode.Kind == NamespaceModeKind.Host;
        var hostname = request.Hostname.Length > 0 ? request.Hostname
            : utsHost ? "" : request.Id[..Math.Min(12, request.Id.Length)];
        var caps = Capabilities.Tweak(request.CapAdd, request.CapDrop, request.Privileged, host.CapLastCap);
        var capList = caps.Count > 0 ? caps : null;

        var process = new Process
        {
            Terminal = request.Tty,
            ConsoleSize = request.Tty && (request.ConsoleSize.Height > 0 || request.ConsoleSize.Width > 0)
                ? new Box { Height = request.ConsoleSize.Height, Width = request.ConsoleSize.Width }
                : null,
            User = UserResolver.Resolve(
                CommandResolver.User(request),
                request.GroupAdd,
                userFiles.ReadPasswd(request.RootfsPath),
                userFiles.ReadGroup(request.RootfsPath)),
            Args = ProcessArgs(request),
            Env = EnvironmentBuilder.Build(hostname, request.Tty, CommandResolver.MergedConfigEnv(request)),
            Cwd = CommandResolver.WorkingDir(request),
            // Inheritable and ambient stay empty: Docker stopped filling inheritable
            // (CVE-2022-24769) so execve'd programs cannot regain capabilities.
            Capabilities = new LinuxCapabilities { Bounding = capList, Effective = capList, Permitted = capList },
            Rlimits = Rlimits.Build(request.Ulimits, host.HardRlimits),
            NoNewPrivileges = security.NoNewPrivileges,
            ApparmorProfile = AppArmor(request, security),
            OomScoreAdj = request.OomScoreAdj,
        };

        return new RuntimeSpec
        {
            Process = process,
            Root = new Root { Path = request.RootfsPath, Readonly = request.ReadonlyRootfs },
            Hostname = utsHost || hostname.Length == 0 ? null : hostname,
            Mounts = BuildMounts(request),
            Annotations = request.Annotations is { Count: > 0 } a ? a : null,
            Linux = BuildLinux(request, security, caps),
        };
    }

    /// <summary>Serializes a spec the way it goes into the bundle's config.json.</summary>
    public static string ToJson(RuntimeSpec spec) =>
        System.Text.Json.JsonSerializer.Serialize(spec, RuntimeJsonContext.Default.RuntimeSpec);

    private static IReadOnlyList<string> ProcessArgs(ContainerSpecRequest request)
    {
        var args = CommandResolver.Args(request);
        // Docker adds the init only in a private PID namespace: with the host's or another
        // container's there is already an init to reap zombies.
        if (request.InitPath is not null && request.PidMode.Kind == NamespaceModeKind.Private)
        {
            return [InitPathInContainer, "--", .. args];
        }
        return args;
    }

    private string? AppArmor(ContainerSpecRequest request, SecurityOptions security)
    {
        if (security.AppArmorProfile is { Length: > 0 } explicitProfile)
        {
            return explicitProfile;
        }
        if (host.DefaultAppArmorProfile is null)
        {
            return null;
        }
        return request.Privileged ? "unconfined" : host.DefaultAppArmorProfile;
    }

    private LinuxSeccomp? BuildSeccomp(ContainerSpecRequest request, SecurityOptions security, IReadOnlyList<string> bounding)
    {
        var profile = security.SeccompProfile;
        if (profile == SecurityOptions.Unconfined)
        {
            return null;
        }
        if (request.Privileged)
        {
            // Privileged containers run unfiltered unless a custom profile is named explicitly.
            return profile.Length == 0 || profile == SecurityOptions.Builtin
                ? null
                : SeccompResolver.Resolve(SeccompResolver.Parse(profile), bounding, host);
        }
        var source = profile.Length == 0 || profile == SecurityOptions.Builtin
            ? DefaultSeccompProfile.Profile
            : SeccompResolver.Parse(profile);
        return SeccompResolver.Resolve(source, bounding, host);
    }
}
