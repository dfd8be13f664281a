namespace Wharf.Runtime.Runc;

/// <summary>The files of one container under the driver's root (see src/wharf-shim/README.md for the state dir).</summary>
internal sealed class ContainerPaths(string containersRoot, string id)
{
    public string Id { get; } = id;

    public string Dir { get; } = Path.Combine(containersRoot, id);

    public string Bundle => Path.Combine(Dir, "bundle");

    public string Config => Path.Combine(Bundle, "config.json");

    public string State => Path.Combine(Dir, "state");

    /// <summary>Which OCI runtime the container was created with (<see cref="RuntimeCommand"/>).</summary>
    public string RuntimeFile => Path.Combine(Dir, "runtime.json");

    public string InitPid => Path.Combine(State, "init.pid");

    public string ShimPid => Path.Combine(State, "shim.pid");

    public string Exit => Path.Combine(State, "exit");

    public string AttachSocket => Path.Combine(State, "attach.sock");

    public string ShimLog => Path.Combine(State, "shim.log");

    /// <summary>The driver's marker that <c>runc start</c> succeeded; runc's "created" init is alive but not running.</summary>
    public string Started => Path.Combine(Dir, "started");

    /// <summary>
    /// Container ids become path components and runc arguments: refuse anything that could
    /// escape the root or look like an option.
    /// </summary>
    public static void ValidateId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length == 0 || id.Length > 128 || id[0] is '.' or '-' || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
        {
            throw Core.Errors.WharfException.Invalid($"invalid container id \"{id}\"");
        }
    }
}
