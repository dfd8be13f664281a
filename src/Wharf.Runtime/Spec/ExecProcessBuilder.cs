using Wharf.Core.Errors;
using Wharf.Core.Exec;
using Wharf.Oci.Runtime;

namespace Wharf.Runtime.Spec;

/// <summary>
/// The OCI <c>process</c> of an exec (moby <c>ContainerExecStart</c>): the container's own process
/// (capabilities, AppArmor, no-new-privileges, rlimits; seccomp stays the container's) with the
/// exec's args, environment, working directory, user and terminal. A privileged exec gets every
/// capability.
/// </summary>
public static class ExecProcessBuilder
{
    public static Process Build(RuntimeSpec container, ExecProcessSpec exec, IRootfsUserFiles userFiles, int capLastCap)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(exec);
        ArgumentNullException.ThrowIfNull(userFiles);
        var process = container.Process ?? throw new WharfException(ErrorKind.Internal, "the container's runtime spec has no process");
        if (exec.Args.Count == 0)
        {
            throw WharfException.Invalid("No exec command specified");
        }

        var user = process.User;
        if (exec.User.Length > 0)
        {
            var rootfs = container.Root?.Path ?? "";
            user = UserResolver.Resolve(exec.User, exec.GroupAdd, userFiles.ReadPasswd(rootfs), userFiles.ReadGroup(rootfs));
        }

        var caps = process.Capabilities;
        if (exec.Privileged)
        {
            var all = Capabilities.Available(capLastCap);
            caps = new LinuxCapabilities { Bounding = all, Effective = all, Permitted = all };
        }

        return process with
        {
            Args = exec.Args,
            Env = Environment(process.Env ?? [], process.Terminal, exec),
            Cwd = exec.WorkingDir.Length > 0 ? exec.WorkingDir : process.Cwd,
            Terminal = exec.Tty,
            ConsoleSize = exec.Tty && (exec.ConsoleHeight > 0 || exec.ConsoleWidth > 0)
                ? new Box { Height = (uint)Math.Max(0, exec.ConsoleHeight), Width = (uint)Math.Max(0, exec.ConsoleWidth) }
                : null,
            User = user,
            Capabilities = caps,
        };
    }

    /// <summary>
    /// Docker builds an exec's environment like the container's (PATH, HOSTNAME, TERM=xterm only
    /// with the exec's tty, then Config.Env) and puts the exec's variables over it. The container's
    /// environment is that list built for the container's tty, so only TERM needs adjusting.
    /// </summary>
    internal static IReadOnlyList<string> Environment(IReadOnlyList<string> containerEnv, bool containerTty, ExecProcessSpec exec)
    {
        const string Term = "TERM=xterm";
        var env = new List<string?>(containerEnv);
        // EnvironmentBuilder puts the tty's TERM third, after PATH and HOSTNAME.
        if (containerTty && !exec.Tty && env.Count > 2 && env[2] == Term)
        {
            env.RemoveAt(2);
        }
        else if (!containerTty && exec.Tty && !env.Any(e => CommandResolver.Key(e!) == "TERM"))
        {
            env.Insert(Math.Min(2, env.Count), Term);
        }
        return EnvironmentBuilder.ReplaceOrAppend(env, exec.Env);
    }
}
