using System.Text;
using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
using Wharf.Cli.Templates;

namespace Wharf.Cli.Formatting;

/// <summary>docker's formatter.Context: "table", "table TEMPLATE", "json" or a raw template, applied to rows.</summary>
internal static class OutputFormat
{
    public static bool IsTable(string format) => format.StartsWith("table", StringComparison.Ordinal);

    public static bool IsJson(string format) => format == "json";

    /// <summary>Parses a user template the way docker does (with "template parsing error: " on failure).</summary>
    public static GoTemplate ParseTemplate(string text)
    {
        try
        {
            return GoTemplate.Parse(text);
        }
        catch (TemplateException e)
        {
            throw new CliErrorException("template parsing error: " + e.Message);
        }
    }

    /// <summary>Renders <paramref name="rows"/> with <paramref name="format"/>; tables get a header computed
    /// from <paramref name="header"/> (field name to column title) and are aligned like docker's tabwriter.</summary>
    public static string Render(string format, IEnumerable<TemplateStruct> rows, JsonObject header)
    {
        string final = format;
        bool table = IsTable(format);
        if (table)
        {
            final = final["table".Length..];
        }
        else if (IsJson(format))
        {
            final = "{{json .}}";
        }
        final = final.Trim(' ').Replace("\\t", "\t", StringComparison.Ordinal).Replace("\\n", "\n", StringComparison.Ordinal);
        var template = ParseTemplate(final);
        var body = new StringBuilder();
        foreach (var row in rows)
        {
            try
            {
                template.ExecuteInto(body, row, DockerFunctions.All);
            }
            catch (TemplateException e)
            {
                throw new CliErrorException("template parsing error: " + e.Message);
            }
            body.Append('\n');
        }
        if (!table)
        {
            return body.ToString();
        }
        var all = new StringBuilder();
        try
        {
            template.ExecuteInto(all, header, DockerFunctions.HeaderFunctions);
        }
        catch (TemplateException)
        {
            // docker ignores errors while rendering the header row.
        }
        all.Append('\n').Append(body);
        return new TabWriter().Format(all.ToString());
    }

    /// <summary>Executes a template against one value (inspect, version, info) and adds a newline.</summary>
    public static string RenderOne(GoTemplate template, object? data)
    {
        try
        {
            return template.Execute(data) + "\n";
        }
        catch (TemplateException e)
        {
            throw new CliErrorException("template parsing error: " + e.Message);
        }
    }
}
