namespace Wharf.Api.Server.Containers;

/// <summary>How <see cref="AttachRelay"/> treats one session.</summary>
/// <param name="Stdin">Relay the client's input to the container.</param>
/// <param name="CloseStdinOnEof">
/// At the client's EOF, close the container's stdin and keep relaying output until it ends
/// (StdinOnce without a tty). Otherwise the client's EOF ends the session, as in dockerd.
/// </param>
/// <param name="DetachKeys">The detach sequence to watch for (dockerd watches only with a tty); null for none.</param>
/// <param name="Demultiplex">
/// The container stream carries Docker's multiplexed frames and the client wants the bare
/// payloads (websocket attach without a tty).
/// </param>
internal sealed record AttachRelayOptions(bool Stdin, bool CloseStdinOnEof, byte[]? DetachKeys, bool Demultiplex);
