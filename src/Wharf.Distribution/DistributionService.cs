using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Wharf.Core.Content;
using Wharf.Core.Distribution;
using Wharf.Core.Errors;
using Wharf.Core.Events;
using Wharf.Core.Images;
using Wharf.Oci.References;

namespace Wharf.Distribution;

/// <summary>The registry client behind pull, push, login, search and distribution inspect.</summary>
public sealed partial class DistributionService : IDistributionService, IDisposable
{
    private readonly RegistrySettings _settings;
    private readonly RegistryHosts _hosts;
    private readonly IImageService _images;
    private readonly IImageIngester _ingester;
    private readonly IContentStore _content;
    private readonly ILayerDecompressor _decompressor;
    private readonly IEventService _events;
    private readonly ILogger<DistributionService> _log;
    private readonly PullMetadata _metadata;

    public DistributionService(RegistrySettings settings, IImageService images, IImageIngester ingester, IContentStore content, ILayerDecompressor decompressor, IEventService events, ILogger<DistributionService> log)
    {
        _settings = settings;
        _hosts = new RegistryHosts(settings);
        _images = images;
        _ingester = ingester;
        _content = content;
        _decompressor = decompressor;
        _events = events;
        _log = log;
        _metadata = new PullMetadata(settings.StateRoot);
    }

    public void Dispose() => _hosts.Dispose();

    private static ImageReference ParseName(string name)
    {
        try
        {
            return ImageReference.ParseNormalizedNamed(name);
        }
        catch (FormatException e)
        {
            throw WharfException.Invalid(e.Message, e);
        }
    }

    /// <summary>Turns a registry's refusal into Docker's message and error kind.</summary>
    private static WharfException Translate(Exception e, ImageReference reference, bool push)
    {
        switch (e)
        {
            case WharfException w:
                return w;
            case RegistryException r:
                var code = r.Code;
                if (code is "DENIED" or "UNAUTHORIZED" || r.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                {
                    return push
                        ? new WharfException(ErrorKind.Unauthorized, r.Detail)
                        : WharfException.NotFound($"pull access denied for {reference.FamiliarName}, repository does not exist or may require 'docker login': {r.Detail}");
                }

                if (code == "MANIFEST_UNKNOWN" || (code == "NOT_FOUND" && !push))
                {
                    return WharfException.NotFound($"manifest for {reference.FamiliarString} not found: {r.Detail}");
                }

                if (code == "NAME_UNKNOWN")
                {
                    return WharfException.NotFound($"repository {reference.FamiliarName} not found: {r.Detail}");
                }

                return new WharfException(ErrorKind.Internal, r.Detail);
            case HttpRequestException h:
                if (h.Message.StartsWith("Get \"", StringComparison.Ordinal))
                {
                    return new WharfException(ErrorKind.Internal, h.Message, h);
                }

                var host = RegistryHosts.ApiHost(reference.Domain);
                var why = h.InnerException is SocketException s ? s.Message : h.Message;
                return new WharfException(ErrorKind.Internal, $"Get \"https://{host}/v2/\": {why}", h);
            case IOException io:
                return new WharfException(ErrorKind.Internal, io.Message, io);
            default:
                return new WharfException(ErrorKind.Internal, e.Message, e);
        }
    }

    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "mirror {Mirror} failed for {Repository}, trying the next endpoint: {Error}")]
    private partial void LogMirrorFailed(string mirror, string repository, string error);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "pulled {Reference} ({Digest}) from {Host}")]
    private partial void LogPulled(string reference, string digest, string host);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "pushed {Reference} ({Digest})")]
    private partial void LogPushed(string reference, string digest);
}
