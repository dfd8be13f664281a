using System.Globalization;
using System.Text;

namespace Wharf.Cli.Commands;

/// <summary>
/// <c>wharf build --progress=tty</c>: the legacy builder's text stream shown as a live display.
/// Each finished step becomes one line (<c>=&gt; [2/5] RUN make  1.3s</c>, or <c>CACHED</c>);
/// below them a live area, redrawn in place, holds the elapsed time, the running step and the
/// last lines of its output. Lines are cut to the terminal's width so that the area never wraps
/// and the cursor moves stay right. Pure: it writes text to a <see cref="TextWriter"/> and reads
/// time from a <see cref="TimeProvider"/>; the caller feeds it and calls <see cref="Render"/>.
/// </summary>
internal sealed class BuildProgressDisplay(TextWriter output, TimeProvider time, int columns)
{
    private const int TailLines = 6;
    private const int KeptLines = 200;
    private readonly Lock _gate = new();
    private readonly long _started = time.GetTimestamp();
    private readonly StringBuilder _partial = new();
    private readonly List<string> _pending = [];
    private readonly List<string> _stepOutput = [];
    private int _liveLines;
    private string? _step;
    private string _stepNumber = "";
    private long _stepStarted;
    private bool _cached;
    private bool _afterSteps;

    /// <summary>Takes a piece of the stream (any size; lines are put together across pieces).</summary>
    public void Feed(string text)
    {
        lock (_gate)
        {
            _partial.Append(text);
            var all = _partial.ToString();
            var end = all.LastIndexOf('\n');
            if (end < 0)
            {
                return;
            }

            _partial.Clear().Append(all.AsSpan(end + 1));
            foreach (var line in all[..end].Split('\n'))
            {
                Line(line.TrimEnd('\r'));
            }
        }
    }

    /// <summary>Redraws: permanent lines since the last call, then the live area.</summary>
    public void Render(bool final = false)
    {
        lock (_gate)
        {
            var sb = new StringBuilder();
            if (_liveLines > 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $"\u001b[{_liveLines}A");
            }

            sb.Append("\r\u001b[J");
            foreach (var p in _pending)
            {
                sb.Append(Fit(p)).Append('\n');
            }

            _pending.Clear();
            _liveLines = 0;
            if (!final)
            {
                var live = new List<string> { $"[+] Building {Seconds(_started)} ({Progress()})" };
                if (_step is not null)
                {
                    live.Add($"=> {(_cached ? "CACHED " : "")}[{_stepNumber}] {_step}  {Seconds(_stepStarted)}");
                    live.AddRange(_stepOutput.TakeLast(TailLines).Select(l => " => " + l));
                }

                foreach (var l in live)
                {
                    sb.Append("\u001b[2K").Append(Fit(l)).Append('\n');
                }

                _liveLines = live.Count;
            }

            output.Write(sb.ToString());
            output.Flush();
        }
    }

    /// <summary>Ends the display: the running step is closed, and on failure its whole kept output is shown.</summary>
    public void Finish(bool succeeded)
    {
        lock (_gate)
        {
            if (_partial.Length > 0)
            {
                Line(_partial.ToString());
                _partial.Clear();
            }

            // A step that failed is not counted as done.
            var progress = succeeded ? null : Progress();
            if (!succeeded && _step is not null)
            {
                _pending.Add($"=> ERROR [{_stepNumber}] {_step}  {Seconds(_stepStarted)}");
                _pending.AddRange(_stepOutput.Select(l => " => " + l));
                _step = null;
            }

            CloseStep();
            _pending.Add($"[+] Building {Seconds(_started)} ({progress ?? Progress()}) {(succeeded ? "FINISHED" : "FAILED")}");
        }

        Render(final: true);
    }

    private void Line(string line)
    {
        if (line.StartsWith("Step ", StringComparison.Ordinal) && line.IndexOf(" : ", StringComparison.Ordinal) is var colon and > 5)
        {
            CloseStep();
            _stepNumber = line[5..colon];
            _step = line[(colon + 3)..];
            _stepStarted = time.GetTimestamp();
            _cached = false;
            _stepOutput.Clear();
            return;
        }

        if (line.StartsWith(" ---> ", StringComparison.Ordinal) || line.StartsWith("Removing intermediate container", StringComparison.Ordinal))
        {
            _cached |= line == " ---> Using cache";
            return;
        }

        if (line.StartsWith("Successfully built", StringComparison.Ordinal))
        {
            CloseStep();
            _afterSteps = true;
        }

        if (_step is null || _afterSteps)
        {
            if (line.Length > 0)
            {
                _pending.Add(line);
            }

            return;
        }

        // Control characters (carriage returns of progress bars, colours) would move the cursor.
        _stepOutput.Add(string.Concat(line.Select(c => char.IsControl(c) ? ' ' : c)));
        if (_stepOutput.Count > KeptLines)
        {
            _stepOutput.RemoveAt(0);
        }
    }

    private void CloseStep()
    {
        if (_step is null)
        {
            return;
        }

        _pending.Add(_cached ? $"=> CACHED [{_stepNumber}] {_step}" : $"=> [{_stepNumber}] {_step}  {Seconds(_stepStarted)}");
        _step = null;
    }

    private string Progress()
    {
        if (_stepNumber.Split('/') is [var done, var total])
        {
            // A running step is not done yet.
            var finished = int.TryParse(done, CultureInfo.InvariantCulture, out var k) ? (_step is null ? k : k - 1) : 0;
            return $"{finished}/{total}";
        }

        return "0/0";
    }

    private string Seconds(long since)
        => time.GetElapsedTime(since).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s";

    private string Fit(string line)
    {
        var width = Math.Max(20, columns) - 1;
        return line.Length <= width ? line : line[..(width - 1)] + "…";
    }
}
