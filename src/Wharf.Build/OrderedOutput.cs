using Wharf.Core.Build;

namespace Wharf.Build;

/// <summary>
/// Keeps the output of stages that build in parallel in Dockerfile order: the earliest stage
/// still running writes through, later ones are buffered and flushed when their turn comes.
/// </summary>
internal sealed class OrderedOutput(Func<BuildOutput, ValueTask> sink, IReadOnlyList<int> order)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<int, List<BuildOutput>> _buffers = order.ToDictionary(i => i, _ => new List<BuildOutput>());
    private readonly HashSet<int> _done = [];
    private int _position;

    public async ValueTask WriteAsync(int stage, BuildOutput output)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_position < order.Count && order[_position] == stage)
            {
                await sink(output).ConfigureAwait(false);
            }
            else
            {
                _buffers[stage].Add(output);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Direct output (before and after the stages).</summary>
    public async ValueTask WriteDirectAsync(BuildOutput output)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await sink(output).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask CompleteAsync(int stage)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _done.Add(stage);
            while (_position < order.Count && _done.Contains(order[_position]))
            {
                _position++;
                if (_position < order.Count)
                {
                    var next = order[_position];
                    foreach (var o in _buffers[next])
                    {
                        await sink(o).ConfigureAwait(false);
                    }

                    _buffers[next].Clear();
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Writes out whatever is still buffered (after a failure, so the failing step shows).</summary>
    public async ValueTask FlushAllAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            for (var p = _position; p < order.Count; p++)
            {
                foreach (var o in _buffers[order[p]])
                {
                    await sink(o).ConfigureAwait(false);
                }

                _buffers[order[p]].Clear();
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
