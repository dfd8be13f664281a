using System.Text;

namespace Wharf.Cli.Formatting;

/// <summary>Go's text/tabwriter (left-aligned, no flags) over a complete text: tab-terminated cells are
/// padded so that each column block aligns. Docker uses minwidth 10, tabwidth 1, padding 3, ' '.</summary>
internal sealed class TabWriter(int minWidth = 10, int padding = 3, char padChar = ' ')
{
    public string Format(string text)
    {
        bool endsWithNewline = text.EndsWith('\n');
        var rawLines = text.Split('\n');
        int count = endsWithNewline ? rawLines.Length - 1 : rawLines.Length;
        var lines = new List<string[]>(count);
        for (int i = 0; i < count; i++)
        {
            lines.Add(rawLines[i].Split('\t'));
        }
        var sb = new StringBuilder();
        var widths = new List<int>();
        FormatBlock(sb, lines, widths, 0, lines.Count);
        if (!endsWithNewline && sb.Length > 0 && count > 0)
        {
            sb.Length--;
        }
        return sb.ToString();
    }

    private static int Width(string s)
    {
        int n = 0;
        foreach (var _ in s.EnumerateRunes())
        {
            n++;
        }
        return n;
    }

    private int FormatBlock(StringBuilder sb, List<string[]> lines, List<int> widths, int line0, int line1)
    {
        int column = widths.Count;
        for (int current = line0; current < line1; current++)
        {
            if (column >= lines[current].Length - 1)
            {
                continue;
            }
            WriteLines(sb, lines, widths, line0, current);
            line0 = current;
            int width = minWidth;
            for (; current < line1; current++)
            {
                var line = lines[current];
                if (column >= line.Length - 1)
                {
                    break;
                }
                width = Math.Max(width, Width(line[column]) + padding);
            }
            widths.Add(width);
            FormatBlock(sb, lines, widths, line0, current);
            widths.RemoveAt(widths.Count - 1);
            line0 = current;
            current--;
        }
        WriteLines(sb, lines, widths, line0, line1);
        return line1;
    }

    private void WriteLines(StringBuilder sb, List<string[]> lines, List<int> widths, int line0, int line1)
    {
        for (int i = line0; i < line1; i++)
        {
            var line = lines[i];
            for (int j = 0; j < line.Length; j++)
            {
                var cell = line[j];
                sb.Append(cell);
                if (j < widths.Count && j < line.Length - 1)
                {
                    sb.Append(padChar, Math.Max(widths[j] - Width(cell), 0));
                }
            }
            sb.Append('\n');
        }
    }
}
