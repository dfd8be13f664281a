using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Wharf.Integration.Tests;

/// <summary>
/// A command on a real pseudo-terminal of a known size (through <c>pty_session.py</c>): the
/// test types bytes, reads what the terminal shows, resizes it, and gets the exit code.
/// </summary>
internal sealed class PtySession : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _sizeFile;
    private readonly StringBuilder _screen = new();
    private readonly Task _reader;

    private PtySession(Process process, string sizeFile)
    {
        _process = process;
        _sizeFile = sizeFile;
        _reader = Task.Run(ReadAsync);
    }

    /// <summary>Everything the terminal showed so far (bytes as Latin-1).</summary>
    public string Screen
    {
        get
        {
            lock (_screen)
            {
                return _screen.ToString();
            }
        }
    }

    public static PtySession Start(int rows, int columns, IDictionary<string, string> env, string file, params string[] args)
    {
        var sizeFile = Path.Combine(Path.GetTempPath(), "wharf-pty-" + Guid.NewGuid().ToString("N"));
        var psi = new ProcessStartInfo("python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "pty_session.py"), rows.ToString(System.Globalization.CultureInfo.InvariantCulture), columns.ToString(System.Globalization.CultureInfo.InvariantCulture), sizeFile, "--", file }.Concat(args))
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in env)
        {
            psi.Environment[k] = v;
        }

        psi.Environment["TERM"] = "xterm";
        return new PtySession(Process.Start(psi)!, sizeFile);
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[4096];
        var stdout = _process.StandardOutput.BaseStream;
        int n;
        while ((n = await stdout.ReadAsync(buffer)) > 0)
        {
            lock (_screen)
            {
                _screen.Append(Encoding.Latin1.GetString(buffer, 0, n));
            }
        }
    }

    /// <summary>Types <paramref name="keys"/> (Latin-1 bytes: "\r" is Enter, "\u0010" is ctrl-p).</summary>
    public async Task TypeAsync(string keys)
    {
        var bytes = Encoding.Latin1.GetBytes(keys);
        await _process.StandardInput.BaseStream.WriteAsync(bytes);
        await _process.StandardInput.BaseStream.FlushAsync();
    }

    /// <summary>Waits until the screen matches <paramref name="pattern"/> from <paramref name="from"/> on; returns the match.</summary>
    public async Task<Match> WaitForAsync(string pattern, int from = 0, int timeoutSeconds = 30)
    {
        var regex = new Regex(pattern);
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var screen = Screen;
            var m = regex.Match(screen, Math.Min(from, screen.Length));
            if (m.Success)
            {
                return m;
            }

            Assert.True(DateTime.UtcNow < deadline && !(_process.HasExited && _reader.IsCompleted), $"the terminal never showed /{pattern}/; it shows:\n{Escape(screen)}");
            await Task.Delay(50);
        }
    }

    /// <summary>Resizes the terminal; the command gets SIGWINCH.</summary>
    public async Task ResizeAsync(int rows, int columns)
    {
        await File.WriteAllTextAsync(_sizeFile, $"{rows} {columns}");
        await ProcessRunner.RunAsync("kill", ["-USR1", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
    }

    public async Task<int> WaitForExitAsync(int timeoutSeconds = 30)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the command did not exit; the terminal shows:\n{Escape(Screen)}\n{await _process.StandardError.ReadToEndAsync()}");
        }

        await _reader;
        return _process.ExitCode;
    }

    public static string Escape(string s) => Regex.Replace(s, @"[\x00-\x09\x0b-\x1f\x7f]", m => $"\\x{(int)m.Value[0]:x2}");

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        File.Delete(_sizeFile);
    }
}
