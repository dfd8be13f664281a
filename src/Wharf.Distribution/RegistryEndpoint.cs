namespace Wharf.Distribution;

/// <summary>One place to ask for a repository: a mirror or the registry itself.</summary>
/// <param name="Host">host[:port] as written in references and certs.d.</param>
/// <param name="Secure">False when plain HTTP may be tried (insecure registries, loopback).</param>
/// <param name="IsMirror">Failures of a mirror fall back to the next endpoint.</param>
/// <param name="ForcedScheme">The scheme a mirror URL named, if any.</param>
internal sealed record RegistryEndpoint(string Host, bool Secure, bool IsMirror, string? ForcedScheme);
