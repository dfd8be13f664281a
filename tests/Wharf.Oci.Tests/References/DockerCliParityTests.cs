using Wharf.Oci.References;

namespace Wharf.Oci.Tests.References;

/// <summary>
/// Replays tests/golden/docker-cli-28/pull-parse.tsv, recorded from the real docker CLI by
/// scripts/record-golden.sh: every input must be accepted or refused with the same text.
/// </summary>
public sealed class DockerCliParityTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var line in File.ReadAllLines(GoldenPath()))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            data.Add(line[..tab], line[(tab + 1)..]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesDockerCli(string input, string expected)
    {
        var ok = ImageReference.TryParseNormalizedNamed(input, out _, out var error);
        Assert.Equal(expected, ok ? "OK" : error);
    }

    private static string GoldenPath()
    {
        // Walk up from the test binary to the repository root rather than copying the file,
        // so the golden directory stays the single source.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "golden", "docker-cli-28", "pull-parse.tsv");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("tests/golden/docker-cli-28/pull-parse.tsv not found above " + AppContext.BaseDirectory);
    }
}
