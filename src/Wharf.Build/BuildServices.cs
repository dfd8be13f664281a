using Wharf.Core.Containers;
using Wharf.Core.Content;
using Wharf.Core.Images;

namespace Wharf.Build;

/// <summary>The engine services a build drives.</summary>
internal sealed record BuildServices(
    IImageService Images,
    IImageCommitter Committer,
    IContainerService Containers,
    IContainerFiles Files,
    BuildCache Cache,
    TimeProvider Time,
    IContentStore? Content,
    CacheMounts CacheMounts);
