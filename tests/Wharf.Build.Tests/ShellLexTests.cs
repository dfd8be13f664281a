using Wharf.Build.Parsing;
using Wharf.Core.Errors;

namespace Wharf.Build.Tests;

public sealed class ShellLexTests
{
    private static readonly Dictionary<string, string> Env = new() { ["v"] = "val", ["empty"] = "", ["sp"] = "a b" };

    private static string? Lookup(string k) => Env.TryGetValue(k, out var v) ? v : null;

    [Theory]
    [InlineData("$v", "val")]
    [InlineData("${v}", "val")]
    [InlineData("x${v}y", "xvaly")]
    [InlineData("$v/x", "val/x")]
    [InlineData("$nope", "")]
    [InlineData("${nope:-def}", "def")]
    [InlineData("${empty:-def}", "def")]
    [InlineData("${empty-def}", "")]
    [InlineData("${nope-def}", "def")]
    [InlineData("${v:+alt}", "alt")]
    [InlineData("${empty:+alt}", "")]
    [InlineData("${empty+alt}", "alt")]
    [InlineData("${nope+alt}", "")]
    [InlineData("${nope:-${v}}", "val")]
    [InlineData("'$v'", "$v")]
    [InlineData("\"$v\"", "val")]
    [InlineData("\\$v", "$v")]
    [InlineData("\"a\\\"b\"", "a\"b")]
    [InlineData("\"a\\nb\"", "a\\nb")]
    [InlineData("a\\ b", "a b")]
    [InlineData("$", "$")]
    [InlineData("a$-b", "a$-b")]
    [InlineData("\"two words\"", "two words")]
    public void ProcessWord(string input, string expected)
        => Assert.Equal(expected, new ShellLex().ProcessWord(input, Lookup));

    [Fact]
    public void BacktickEscape()
        => Assert.Equal("$v C:\\x", new ShellLex('`').ProcessWord("`$v C:\\x", Lookup));

    [Fact]
    public void ProcessWordsSplitsOutsideQuotes()
        => Assert.Equal(["80", "a b", "val"], new ShellLex().ProcessWords("80 \"a b\"  $v", Lookup));

    [Theory]
    [InlineData("${v")]
    [InlineData("${nope?must be set}")]
    [InlineData("\"open")]
    [InlineData("'open")]
    [InlineData("${v%x}")]
    public void BadSubstitutionsAreInvalid(string input)
        => Assert.Throws<WharfException>(() => new ShellLex().ProcessWord(input, Lookup));
}
