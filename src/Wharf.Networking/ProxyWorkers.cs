namespace Wharf.Networking;

/// <summary>
/// Threads of their own for the port proxies, outside the .NET thread pool. A proxied
/// connection runs on blocking sockets from start to end on one worker per direction, so it
/// costs no pool dispatch per read and competes with nothing the daemon runs on the pool.
/// Workers are reused (a sequence of short connections starts no threads) and a worker left
/// idle for <see cref="IdleTimeout"/> ends.
/// </summary>
internal static class ProxyWorkers
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(30);
    private static readonly Queue<Action> Work = new();
    private static readonly object Gate = new();
    private static int _waiting;
    private static int _threads;

    /// <summary>Workers alive now (idle or busy); for tests and diagnostics.</summary>
    public static int Threads => Volatile.Read(ref _threads);

    /// <summary>Runs <paramref name="action"/> on a worker; it must catch its own exceptions.</summary>
    public static void Run(Action action)
    {
        bool start;
        lock (Gate)
        {
            Work.Enqueue(action);
            // A waiting worker takes the item; one is woken per item. A waiter already woken but
            // not yet running still counts, so more items than waiters start a new thread.
            if (_waiting > 0)
            {
                Monitor.Pulse(Gate);
            }

            start = Work.Count > _waiting;
        }

        if (start)
        {
            Interlocked.Increment(ref _threads);
            new Thread(Loop, 256 * 1024) { IsBackground = true, Name = "wharf-proxy" }.Start();
        }
    }

    private static void Loop()
    {
        try
        {
            while (true)
            {
                Action next;
                lock (Gate)
                {
                    while (Work.Count == 0)
                    {
                        _waiting++;
                        var woken = Monitor.Wait(Gate, IdleTimeout);
                        _waiting--;
                        if (!woken && Work.Count == 0)
                        {
                            return;
                        }
                    }

                    next = Work.Dequeue();
                }

                next();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _threads);
        }
    }
}
