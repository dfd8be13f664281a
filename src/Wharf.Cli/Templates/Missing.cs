namespace Wharf.Cli.Templates;

/// <summary>Go's invalid reflect.Value: a missing map key or an unset variable. Prints as "&lt;no value&gt;".</summary>
internal sealed class Missing
{
    public static readonly Missing Value = new();

    private Missing()
    {
    }

    public override string ToString() => "<no value>";
}
