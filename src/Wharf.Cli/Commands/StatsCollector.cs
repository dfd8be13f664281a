using System.Text.Json.Nodes;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary>
/// Reads one container's stats stream and keeps its latest row (docker's collect): the first
/// sample or failure completes <see cref="First"/>; a failure later turns the row into "--".
/// </summary>
internal sealed class StatsCollector(string container) : IDisposable
{
    private readonly Lock _lock = new();
    private StatsEntry _entry = new() { Container = container };
    private DateTime _lastUpdate = DateTime.UtcNow;

    public string Container { get; } = container;

    public TaskCompletionSource First { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string? Error { get; private set; }

    /// <summary>Stops this collector alone (its container left the table).</summary>
    public CancellationTokenSource Stop { get; } = new();

    public void Dispose() => Stop.Dispose();

    /// <summary>The row to show; a streamed row older than <paramref name="staleAfter"/> shows "--" (docker's 2 s rule).</summary>
    public StatsEntry Snapshot(TimeSpan? staleAfter = null)
    {
        lock (_lock)
        {
            return staleAfter is { } s && DateTime.UtcNow - _lastUpdate > s ? Reset(_entry) : _entry;
        }
    }

    public async Task RunAsync(WharfClient client, bool stream, CancellationToken commandToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(commandToken, Stop.Token);
        var cancellationToken = linked.Token;
        try
        {
            var query = new QueryBuilder().Add("stream", stream ? "1" : "0");
            var (response, body) = await client.OpenStreamAsync(HttpMethod.Get, $"/containers/{ApiPath.Escape(Container)}/stats", query, null, cancellationToken).ConfigureAwait(false);
            using (response)
            await using (body.ConfigureAwait(false))
            {
                await foreach (var sample in JsonMessageReader.ReadObjectsAsync(body, cancellationToken).ConfigureAwait(false))
                {
                    Set(StatsCalc.Entry(Container, sample));
                    if (!stream)
                    {
                        return;
                    }
                }
            }

            // The daemon ends a stream when the container is removed.
            Fail("EOF");
        }
        catch (DaemonErrorException e)
        {
            Fail("Error response from daemon: " + e.Message);
        }
        catch (DaemonUnreachableException e)
        {
            Fail(e.Message);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or System.Text.Json.JsonException)
        {
            Fail(e.Message);
        }
        catch (OperationCanceledException)
        {
            // The command is ending.
        }
        finally
        {
            First.TrySetResult();
        }
    }

    private void Set(StatsEntry entry)
    {
        lock (_lock)
        {
            _entry = entry;
            _lastUpdate = DateTime.UtcNow;
            Error = null;
        }

        First.TrySetResult();
    }

    private void Fail(string message)
    {
        lock (_lock)
        {
            Error = message;
            _entry = Reset(_entry);
        }
    }

    private static StatsEntry Reset(StatsEntry e) => new() { Container = e.Container, Name = e.Name, Id = e.Id, IsInvalid = true };
}
