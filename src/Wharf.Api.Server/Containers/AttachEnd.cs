namespace Wharf.Api.Server.Containers;

/// <summary>Why an attach session ended.</summary>
internal enum AttachEnd
{
    /// <summary>The container's output ended (it exited) or the client stopped taking output.</summary>
    OutputEnded,

    /// <summary>The client's stdin ended and the container's stdin stays open (a tty, or not StdinOnce).</summary>
    InputEnded,

    /// <summary>The client typed the detach key sequence.</summary>
    Detached,
}
