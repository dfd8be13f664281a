using Wharf.Core;
using Wharf.Daemon;

try
{
    var options = DaemonArgs.Parse(args);
    if (options.ShowHelp)
    {
        Console.WriteLine(DaemonArgs.Usage);
        return 0;
    }

    if (options.ShowVersion)
    {
        Console.WriteLine($"Wharf version {EngineVersion.Version}, build {EngineVersion.GitCommit}");
        return 0;
    }

    return await DaemonHost.RunAsync(options).ConfigureAwait(false);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync("wharfd: " + e.Message).ConfigureAwait(false);
    return 1;
}
catch (DaemonStartException e)
{
    await Console.Error.WriteLineAsync("failed to start daemon: " + e.Message).ConfigureAwait(false);
    return 1;
}
