namespace Wharf.Oci.Image;

/// <summary>Go's <c>struct{}</c>: the value type of sets such as ExposedPorts and Volumes, written as <c>{}</c>.</summary>
public sealed record EmptyObject;
