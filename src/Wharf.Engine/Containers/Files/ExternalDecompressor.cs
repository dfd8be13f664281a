using System.Diagnostics;
using Wharf.Core.Errors;

namespace Wharf.Engine.Containers.Files;

/// <summary>
/// Decompresses through a host program (<c>xz -dc</c> and the like): the input is pumped into
/// its stdin, its stdout is the stream; a non-zero exit shows up as a read error at the end.
/// Disposing kills the program if it is still running.
/// </summary>
internal sealed class ExternalDecompressor : Wharf.Oci.IO.ReadOnlyStream
{
    private readonly Process _process;
    private readonly Stream _output;
    private readonly Task _pump;
    private readonly string _program;

    private ExternalDecompressor(string program, Process process, Stream input)
    {
        _program = program;
        _process = process;
        _output = process.StandardOutput.BaseStream;
        _pump = PumpAsync(input, process.StandardInput.BaseStream);
    }

    public static ExternalDecompressor Start(string program, Stream input)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-d");
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("-q");
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException(program + " did not start");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw WharfException.Invalid($"Error processing tar file: {program}-compressed archives need {program}, which is not installed on this host", e);
        }

        // stderr is drained so the program never blocks on a full pipe.
        _ = process.StandardError.ReadToEndAsync();
        return new ExternalDecompressor(program, process, input);
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await _output.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (n == 0 && buffer.Length > 0)
        {
            await _pump.ConfigureAwait(false);
            await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (_process.ExitCode != 0)
            {
                throw new InvalidDataException($"{_program} exited with status {_process.ExitCode}: the archive is not valid {_program} data");
            }
        }

        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            if (!_process.HasExited)
            {
                try
                {
                    _process.Kill();
                }
                catch (InvalidOperationException)
                {
                }
            }

            _process.Dispose();
        }

        base.Dispose(disposing);
    }

    private static async Task PumpAsync(Stream input, Stream stdin)
    {
        try
        {
            await input.CopyToAsync(stdin).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The program exited early (bad data); its exit status tells why.
        }
        finally
        {
            try
            {
                await stdin.DisposeAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
            }
        }
    }
}
