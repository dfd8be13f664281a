namespace Wharf.Build.Parsing;

/// <summary>
/// A here-document of RUN, COPY or ADD (<c>&lt;&lt;EOF</c>). <paramref name="Expand"/> is false
/// when the delimiter was quoted (the body is then taken literally); <paramref name="Chomp"/>
/// is the <c>&lt;&lt;-EOF</c> form, whose leading tabs were already stripped from the body.
/// </summary>
public sealed record Heredoc(string Name, string Content, bool Expand, bool Chomp);
