using System.Text.Json.Nodes;

namespace Wharf.Cli.Templates;

/// <summary>A Go struct as docker's formatters expose it (e.g. *formatter.imageContext): a fixed set of
/// fields; asking for another field is an execution error, and json marshals it with sorted keys.</summary>
internal sealed class TemplateStruct(string goTypeName, JsonObject fields)
{
    public string GoTypeName { get; } = goTypeName;

    public JsonObject Fields { get; } = fields;
}
