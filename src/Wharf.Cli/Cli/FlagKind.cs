namespace Wharf.Cli.Cli;

internal enum FlagKind
{
    Bool,
    String,

    /// <summary>Repeatable; every occurrence is kept (docker's list, filter and stringArray flags).</summary>
    List,
}
