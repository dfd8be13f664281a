namespace Wharf.Runtime;

/// <summary>Marker for the runtime assembly (OCI runtime driver, spec generation, monitor).</summary>
public static class RuntimeAssembly;
