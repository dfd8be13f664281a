using Wharf.Oci.Image;

namespace Wharf.Core.Distribution;

/// <summary>What <c>GET /distribution/{name}/json</c> answers: the manifest descriptor and its platforms.</summary>
public sealed record DistributionInspect(Descriptor Descriptor, IReadOnlyList<Platform> Platforms);
