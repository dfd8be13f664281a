namespace Wharf.Core.Containers;

/// <summary>Which streams an attach wants; StdinOnce closes the container's stdin when the client's ends.</summary>
public sealed record AttachStreams(bool Stdin, bool Stdout, bool Stderr, bool StdinOnce);
