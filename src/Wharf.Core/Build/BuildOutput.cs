namespace Wharf.Core.Build;

/// <summary>One message of a build's output: text for the <c>stream</c>, or the built image's ID (<c>aux</c>).</summary>
public sealed record BuildOutput(string? Stream, string? ImageId = null);
