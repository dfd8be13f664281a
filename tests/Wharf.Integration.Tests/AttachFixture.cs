namespace Wharf.Integration.Tests;

/// <summary>One daemon with busybox for the attach tests of a class; each test names its own containers.</summary>
public sealed class AttachFixture : IAsyncLifetime
{
    internal WharfDaemon Daemon { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Daemon = await WharfDaemon.StartAsync();
        await Daemon.ImportAsync(Tars.Busybox("wharf-attach"), "busybox", "latest", "CMD [\"sh\"]");
    }

    public async Task DisposeAsync() => await Daemon.DisposeAsync();
}
