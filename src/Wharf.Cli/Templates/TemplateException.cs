namespace Wharf.Cli.Templates;

/// <summary>A parse or execution error, with Go's text/template wording ("template: :1: ...").</summary>
internal sealed class TemplateException(string message) : Exception(message);
