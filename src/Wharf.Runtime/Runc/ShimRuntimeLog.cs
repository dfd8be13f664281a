using Microsoft.Extensions.Logging;

namespace Wharf.Runtime.Runc;

/// <summary>The driver's log messages; event ids 3100-3199 are the runtime driver's.</summary>
internal static partial class ShimRuntimeLog
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Debug, Message = "Container {Id} created: shim pid {ShimPid}, init pid {InitPid}")]
    public static partial void Created(ILogger logger, string id, int shimPid, int initPid);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Container {Id} create failed: {Error}")]
    public static partial void CreateFailed(ILogger logger, string id, string error);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Debug, Message = "Container {Id} started")]
    public static partial void Started(ILogger logger, string id);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "runc {Command} {Id} failed: {Error}")]
    public static partial void RuncFailed(ILogger logger, string command, string id, string error);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "Shim {ShimPid} of container {Id} did not exit after delete; killing it")]
    public static partial void KillingShim(ILogger logger, string id, int shimPid);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Warning, Message = "Shim of container {Id} is gone without an exit file; reporting exit 255")]
    public static partial void LostShim(ILogger logger, string id);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Warning, Message = "Could not remove {Path} of container {Id}")]
    public static partial void RemoveFailed(ILogger logger, Exception exception, string id, string path);

    [LoggerMessage(EventId = 3107, Level = LogLevel.Debug, Message = "Container {Id} deleted")]
    public static partial void Deleted(ILogger logger, string id);

    [LoggerMessage(EventId = 3108, Level = LogLevel.Debug, Message = "Exec {ExecId} in container {Id} started: pid {Pid}")]
    public static partial void ExecStarted(ILogger logger, string id, string execId, int pid);
}
