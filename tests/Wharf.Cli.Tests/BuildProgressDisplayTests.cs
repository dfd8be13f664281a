using System.Text.RegularExpressions;
using Wharf.Cli.Commands;

namespace Wharf.Cli.Tests;

public sealed partial class BuildProgressDisplayTests
{
    /// <summary>A clock the test moves by hand.</summary>
    private sealed class StepClock : TimeProvider
    {
        public long Ticks { get; set; }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Ticks;

        public void Advance(double seconds) => Ticks += (long)(seconds * TimeSpan.TicksPerSecond);
    }

    /// <summary>What a terminal shows after the text: cursor-up moves back over the live area, which is then cleared and redrawn.</summary>
    private static List<string> Screen(string written)
    {
        var screen = new List<string>();
        var row = 0;
        foreach (Match m in Token().Matches(written))
        {
            var t = m.Value;
            if (t.StartsWith("\u001b[", StringComparison.Ordinal) && t.EndsWith('A'))
            {
                row -= int.Parse(t[2..^1], System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (t == "\u001b[J")
            {
                screen.RemoveRange(row, screen.Count - row);
            }
            else if (t is "\u001b[2K" or "\r")
            {
            }
            else if (t == "\n")
            {
                row++;
            }
            else
            {
                while (screen.Count <= row)
                {
                    screen.Add("");
                }

                screen[row] += t;
            }
        }

        return screen;
    }

    [GeneratedRegex("\u001b\\[\\d*[AJK]|\r|\n|[^\u001b\r\n]+")]
    private static partial Regex Token();

    [Fact]
    public void Steps_become_lines_and_the_live_area_shows_the_running_step_with_its_last_output()
    {
        var output = new StringWriter();
        var clock = new StepClock();
        var display = new BuildProgressDisplay(output, clock, 60);
        display.Feed("Step 1/3 : FROM busybox\n ---> 1a2b3c\nStep 2/3 : RUN echo one\n ---> Using cache\n ---> 4d5e6f\nStep 3/3 : RUN for i in 1 2 3 4 5 6 7 8; do echo line$i; done\n ---> Running in 0a0a\n");
        clock.Advance(1.5);
        display.Feed("line1\nline2\nline3\nline4\nline5\nline6\nline7\nli");
        display.Feed("ne8 \u001b[31mred\u001b[0m and a very long line that goes on beyond the width of this narrow terminal\n");
        display.Render();
        var live = Screen(output.ToString());
        Assert.Equal(
        [
            "=> [1/3] FROM busybox  0.0s",
            "=> CACHED [2/3] RUN echo one",
            "[+] Building 1.5s (2/3)",
        ], live.Take(3));
        Assert.StartsWith("=> [3/3] RUN for i in", live[3]);
        Assert.EndsWith("…", live[3]);
        Assert.Equal([" => line3", " => line4", " => line5", " => line6", " => line7"], live.Skip(4).Take(5));
        Assert.StartsWith(" => line8  [31mred [0m and a very", live[9]);
        Assert.All(live, l => Assert.True(l.Length <= 59, l));
        Assert.Equal(10, live.Count);

        // Done: the live area goes, the step and the summary stay, and what follows the steps prints as it is.
        clock.Advance(0.5);
        display.Feed(" ---> 7a8b9c\nRemoving intermediate container 0a0a\nSuccessfully built 7a8b9c\nSuccessfully tagged demo:latest\n");
        display.Finish(succeeded: true);
        var done = Screen(output.ToString());
        Assert.Equal(6, done.Count);
        Assert.Equal("=> [1/3] FROM busybox  0.0s", done[0]);
        Assert.Equal("=> CACHED [2/3] RUN echo one", done[1]);
        Assert.StartsWith("=> [3/3] RUN for i in 1 2 3", done[2]);
        Assert.Equal(["Successfully built 7a8b9c", "Successfully tagged demo:latest", "[+] Building 2.0s (3/3) FINISHED"], done.Skip(3));
    }

    [Fact]
    public void A_failed_step_shows_all_its_output()
    {
        var output = new StringWriter();
        var clock = new StepClock();
        var display = new BuildProgressDisplay(output, clock, 100);
        display.Feed("Step 1/2 : FROM busybox\n ---> 1a2b3c\nStep 2/2 : RUN false\n ---> Running in 0b0b\n");
        for (var i = 0; i < 10; i++)
        {
            display.Feed($"out {i}\n");
            display.Render();
        }

        clock.Advance(0.2);
        display.Finish(succeeded: false);
        var screen = Screen(output.ToString());
        Assert.Equal("=> [1/2] FROM busybox  0.0s", screen[0]);
        Assert.Equal("=> ERROR [2/2] RUN false  0.2s", screen[1]);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $" => out {i}"), screen.Skip(2).Take(10));
        Assert.Equal("[+] Building 0.2s (1/2) FAILED", screen[12]);
        Assert.Equal(13, screen.Count);
    }
}
