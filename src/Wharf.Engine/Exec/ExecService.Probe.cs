using System.Buffers.Binary;
using Wharf.Core.Containers;
using Wharf.Core.Errors;
using Wharf.Core.Exec;
using Wharf.Engine.Health;

namespace Wharf.Engine.Exec;

public sealed partial class ExecService
{
    /// <summary>
    /// One health probe (moby <c>cmdProbe</c>): an exec with the container's user and working
    /// directory, stdout and stderr collected together (the first 4096 bytes), killed when it
    /// outlives <paramref name="timeout"/>. A probe that cannot run is a failure with exit -1 and the
    /// error as output, as in dockerd.
    /// </summary>
    internal async Task<HealthProbeResult> RunProbeAsync(string containerId, IReadOnlyList<string> command, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var start = time.GetUtcNow();
        ExecEntry? entry = null;
        try
        {
            var rec = _store.Get(containerId) ?? throw WharfException.NotFound($"No such container: {containerId}");
            EnsureActive(rec, rec.Id);
            entry = Register(rec, new ExecCreateSpec { Cmd = command, AttachStdout = true, AttachStderr = true }, probe: true);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            var buffer = new byte[HealthMachine.MaxOutputBytes];
            var length = 0;
            var truncated = false;
            try
            {
                var started = await StartEntryAsync(entry, new AttachStreams(false, true, true, false), 0, 0, deadline.Token).ConfigureAwait(false);
                await using (started.Stream!.ConfigureAwait(false))
                {
                    (length, truncated) = await CollectAsync(started.Stream!, buffer, deadline.Token).ConfigureAwait(false);
                }
                await entry.Exited.Task.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await KillAsync(entry, 9).ConfigureAwait(false);
                return new HealthProbeResult(start, time.GetUtcNow(), -1, $"Health check exceeded timeout ({GoDuration.Format(timeout)})");
            }
            Refresh(entry);
            return new HealthProbeResult(start, time.GetUtcNow(), entry.ExitCode ?? -1, HealthMachine.Output(buffer, length, truncated));
        }
        catch (WharfException e)
        {
            return new HealthProbeResult(start, time.GetUtcNow(), -1, e.Message);
        }
        finally
        {
            if (entry is not null)
            {
                Forget(entry);
            }
        }
    }

    /// <summary>Reads multiplexed frames to the end, keeping the first bytes of both streams in order.</summary>
    private static async Task<(int Length, bool Truncated)> CollectAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var header = new byte[8];
        var scratch = new byte[16 * 1024];
        var length = 0;
        var truncated = false;
        while (await ReadFullyAsync(stream, header, cancellationToken).ConfigureAwait(false))
        {
            var remaining = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4)), int.MaxValue);
            while (remaining > 0)
            {
                var n = await stream.ReadAsync(scratch.AsMemory(0, Math.Min(scratch.Length, remaining)), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    return (length, truncated);
                }
                var keep = Math.Min(n, buffer.Length - length);
                scratch.AsSpan(0, keep).CopyTo(buffer.AsSpan(length));
                length += keep;
                truncated |= keep < n;
                remaining -= n;
            }
        }
        return (length, truncated);
    }

    private static async Task<bool> ReadFullyAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var got = 0;
        while (got < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(got), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }
            got += n;
        }
        return true;
    }
}
