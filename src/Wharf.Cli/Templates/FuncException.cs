namespace Wharf.Cli.Templates;

/// <summary>Thrown by a template function. <see cref="IsArgumentError"/> errors are reported bare
/// ("wrong type for value; ..."), others as Go does: "error calling NAME: ...".</summary>
internal sealed class FuncException(string message, bool isArgumentError = false) : Exception(message)
{
    public bool IsArgumentError { get; } = isArgumentError;
}
