using Microsoft.Extensions.Logging;

namespace Wharf.Daemon;

internal static partial class DaemonLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "API listening on {Sockets} (data root {DataRoot})")]
    public static partial void Listening(ILogger log, string sockets, string dataRoot);
}
