using System.Runtime.InteropServices;
using System.Text;
using Wharf.Cli.Cli;
using Wharf.Client;

namespace Wharf.Cli;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var cts = new CancellationTokenSource();
        // Not Console.CancelKeyPress or Console's streams: on a terminal they start .NET's console
        // layer, which switches the terminal to keypad-transmit mode and re-applies its own
        // terminal settings on signals, fighting the raw mode of run -it and attach.
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, e =>
        {
            e.Cancel = true;
            if (!Commands.SignalProxy.Active)
            {
                cts.Cancel();
            }
        });
        var utf8 = new UTF8Encoding(false);
        var stdout = new StreamWriter(LocalTerminal.OpenStandardOutput(), utf8, 64 * 1024) { AutoFlush = false };
        var stderr = new StreamWriter(LocalTerminal.OpenStandardError(), utf8) { AutoFlush = true };
        await using (stdout.ConfigureAwait(false))
        await using (stderr.ConfigureAwait(false))
        {
            var app = new CliApp(new CommandTree());
            int code = await app.RunAsync(args, stdout, stderr, globals => new CommandContext(
                stdout,
                stderr,
                () => new WharfClient(DaemonHost.Resolve(globals.Host, Environment.GetEnvironmentVariable), Environment.GetEnvironmentVariable("DOCKER_API_VERSION")),
                TimeProvider.System), cts.Token).ConfigureAwait(false);
            await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            return code;
        }
    }
}
