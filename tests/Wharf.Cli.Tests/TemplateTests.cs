using System.Text.Json.Nodes;
using Wharf.Cli.Templates;

namespace Wharf.Cli.Tests;

public sealed class TemplateTests
{
    private static readonly JsonNode Data = JsonNode.Parse("""
        {"Id":"sha256:abc","RepoTags":["busybox:latest","x/y:1"],"Size":1982256,"Ratio":1.5,
         "Config":{"Env":["PATH=/bin","A=b"],"Labels":{"k":"v","a":"z"},"Cmd":null,"Empty":[]},
         "Os":"linux","Flag":true,"Zero":0,"Name":"hello world","Html":"<a&b>"}
        """)!;

    private static string Run(string template, object? data = null) => GoTemplate.Parse(template).Execute(data ?? Data);

    [Theory]
    [InlineData("{{.Id}}", "sha256:abc")]
    [InlineData("{{.Config.Env}}", "[PATH=/bin A=b]")]
    [InlineData("{{.Config.Labels}}", "map[a:z k:v]")]
    [InlineData("{{.Missing}}", "<no value>")]
    [InlineData("{{.Config.Cmd}}", "<no value>")]
    [InlineData("{{.Size}}", "1982256")]
    [InlineData("{{.Ratio}}", "1.5")]
    [InlineData("{{.Flag}}", "true")]
    [InlineData("{{json .Config.Env}}", "[\"PATH=/bin\",\"A=b\"]")]
    [InlineData("{{json .Config.Labels}}", "{\"k\":\"v\",\"a\":\"z\"}")]
    [InlineData("{{json .Html}}", "\"<a&b>\"")]
    [InlineData("{{json .Config.Cmd}}", "null")]
    [InlineData("{{range .RepoTags}}{{.}} {{end}}", "busybox:latest x/y:1 ")]
    [InlineData("{{range $i, $t := .RepoTags}}{{$i}}={{$t}},{{end}}", "0=busybox:latest,1=x/y:1,")]
    [InlineData("{{range $k, $v := .Config.Labels}}{{$k}}:{{$v}};{{end}}", "a:z;k:v;")]
    [InlineData("{{range .Config.Empty}}x{{else}}empty{{end}}", "empty")]
    [InlineData("{{range .RepoTags}}{{if eq . \"x/y:1\"}}{{break}}{{end}}{{.}}{{end}}", "busybox:latest")]
    [InlineData("{{range .RepoTags}}{{if eq . \"busybox:latest\"}}{{continue}}{{end}}{{.}}{{end}}", "x/y:1")]
    [InlineData("{{if .Flag}}yes{{else}}no{{end}}", "yes")]
    [InlineData("{{if .Zero}}yes{{else if .Flag}}elif{{else}}no{{end}}", "elif")]
    [InlineData("{{if not .Missing}}none{{end}}", "none")]
    [InlineData("{{with .Config}}{{.Labels.k}}{{end}}", "v")]
    [InlineData("{{with .Missing}}x{{else}}y{{end}}", "y")]
    [InlineData("{{$x := .Os}}{{$x}}-{{$.Id}}", "linux-sha256:abc")]
    [InlineData("{{$x := 1}}{{$x = 2}}{{$x}}", "2")]
    [InlineData("{{index .Config.Labels \"k\"}}", "v")]
    [InlineData("{{index .Config.Labels \"nope\"}}", "")]
    [InlineData("{{index .RepoTags 1}}", "x/y:1")]
    [InlineData("{{.Os | upper}}", "LINUX")]
    [InlineData("{{.Name | title}}", "Hello World")]
    [InlineData("{{lower \"ABC\"}}", "abc")]
    [InlineData("{{join .RepoTags \", \"}}", "busybox:latest, x/y:1")]
    [InlineData("{{split \"a:b:c\" \":\"}}", "[a b c]")]
    [InlineData("{{truncate .Id 6}}", "sha256")]
    [InlineData("{{pad .Os 2 1}}|", "  linux |")]
    [InlineData("{{len .RepoTags}} {{len .Os}}", "2 5")]
    [InlineData("{{println .Os}}", "linux\n")]
    [InlineData("{{print 1 2 \"a\" \"b\"}}", "1 2ab")]
    [InlineData("{{printf \"%s-%d-%5.2f-%q-%v-%x\" .Os .Size .Ratio .Os .Flag 255}}", "linux-1982256- 1.50-\"linux\"-true-ff")]
    [InlineData("{{printf \"%-6s|%6s|%05d\" \"ab\" \"cd\" 42}}", "ab    |    cd|00042")]
    [InlineData("{{printf \"%d\" .Os}}", "%!d(string=linux)")]
    [InlineData("{{eq .Os \"linux\"}} {{ne .Size 1}} {{lt 1 2}} {{ge \"b\" \"a\"}} {{eq .Os \"a\" \"linux\"}}", "true true true true true")]
    [InlineData("{{and .Flag .Os}} {{or .Zero .Os}} {{and .Zero .Os}}", "linux linux 0")]
    [InlineData("{{- \" a \" -}}  {{- \"b\"}}", " a b")]
    [InlineData("x {{- /* comment */ -}} y", "xy")]
    [InlineData("{{(index .RepoTags 0) | upper}}", "BUSYBOX:LATEST")]
    [InlineData("{{(.Config).Labels.a}}", "z")]
    [InlineData("{{`raw\\n`}}", "raw\\n")]
    [InlineData("{{\"tab\\tx\"}}", "tab\tx")]
    [InlineData("{{range 3}}{{.}}{{end}}", "012")]
    [InlineData("{{slice .Os 1 3}}", "in")]
    [InlineData("{{.id}}", "sha256:abc")]
    public void Executes(string template, string expected) => Assert.Equal(expected, Run(template));

    [Theory]
    [InlineData("{{.Id", "template: :1: unclosed action")]
    [InlineData("{{if .X}}", "template: :1: unexpected EOF")]
    [InlineData("{{end}}", "template: :1: unexpected {{end}}")]
    [InlineData("{{else}}", "template: :1: unexpected {{else}}")]
    [InlineData("{{foo .X}}", "template: :1: function \"foo\" not defined")]
    [InlineData("{{$x}}", "template: :1: undefined variable \"$x\"")]
    [InlineData("{{}}", "template: :1: missing value for command")]
    [InlineData("a\n{{break}}", "template: :2: {{break}} outside {{range}}")]
    [InlineData("{{.X | \"a\"}}", "template: :1: non executable command in pipeline stage 2")]
    [InlineData("{{\"abc}}", "template: :1: unterminated quoted string")]
    [InlineData("{{/* x */ .Y}}", "template: :1: comment ends before closing delimiter")]
    [InlineData("{{(.X}}", "template: :1: unclosed left paren")]
    [InlineData("{{.X)}}", "template: :1: unexpected \")\" in command")]
    [InlineData("{{3x}}", "template: :1: bad number syntax: \"3x\"")]
    public void ParseErrors(string template, string expected)
    {
        var e = Assert.Throws<TemplateException>(() => GoTemplate.Parse(template));
        Assert.Equal(expected, e.Message);
    }

    [Theory]
    [InlineData("{{index .RepoTags 5}}", "template: :1:2: executing \"\" at <index .RepoTags 5>: error calling index: index out of range: 5")]
    [InlineData("{{upper .Size}}", "template: :1:2: executing \"\" at <upper .Size>: wrong type for value; expected string; got int")]
    [InlineData("{{len .Size}}", "template: :1:2: executing \"\" at <len .Size>: error calling len: len of type int")]
    [InlineData("{{.Os.Foo}}", "template: :1:5: executing \"\" at <.Os.Foo>: can't evaluate field Foo in type string")]
    [InlineData("{{.Config.Cmd.X}}", "template: :1:9: executing \"\" at <.Config.Cmd.X>: nil pointer evaluating interface {}.X")]
    [InlineData("{{lt .Os 1}}", "template: :1:2: executing \"\" at <lt .Os 1>: error calling lt: incompatible types for comparison")]
    [InlineData("{{upper}}", "template: :1:2: executing \"\" at <upper>: wrong number of args for upper: want 1 got 0")]
    public void ExecErrors(string template, string expected)
    {
        var e = Assert.Throws<TemplateException>(() => Run(template));
        Assert.Equal(expected, e.Message);
    }

    [Fact]
    public void StructFieldsAreStrictAndJsonSorted()
    {
        var row = new TemplateStruct("*formatter.imageContext", new JsonObject { ["Tag"] = "<none>", ["ID"] = "abc" });
        Assert.Equal("{\"ID\":\"abc\",\"Tag\":\"\\u003cnone\\u003e\"}", Run("{{json .}}", row));
        var e = Assert.Throws<TemplateException>(() => Run("{{.Foo}}", row));
        Assert.Equal("template: :1:2: executing \"\" at <.Foo>: can't evaluate field Foo in type *formatter.imageContext", e.Message);
    }

    [Fact]
    public void HeaderFunctionsAreIdentity()
    {
        var header = new JsonObject { ["ID"] = "IMAGE ID" };
        Assert.Equal("IMAGE ID", GoTemplate.Parse("{{.ID | lower}}").Execute(header, DockerFunctions.HeaderFunctions));
    }
}
