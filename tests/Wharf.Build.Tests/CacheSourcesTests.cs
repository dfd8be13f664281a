using Wharf.Core.Images;
using Wharf.Oci;
using Wharf.Oci.Image;

namespace Wharf.Build.Tests;

public sealed class CacheSourcesTests
{
    private static readonly DateTimeOffset When = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    private static Digest D(char c) => Digest.Parse("sha256:" + new string(c, 64));

    /// <summary>An image whose history is the given steps; a step with a layer names it (null: empty layer).</summary>
    private static ImageRecord Image(char id, params (string CreatedBy, char? Layer)[] steps)
    {
        var diffIds = steps.Where(s => s.Layer is not null).Select(s => D(s.Layer!.Value)).ToList();
        return new ImageRecord
        {
            Id = D(id),
            Config = new ImageConfig
            {
                History = [.. steps.Select(s => new HistoryEntry { Created = When, CreatedBy = s.CreatedBy, EmptyLayer = s.Layer is null })],
                RootFs = new RootFs { DiffIds = [.. diffIds.Select(d => d.Value)] },
            },
            DiffIds = diffIds,
            ChainIds = Digest.ChainIds(diffIds),
        };
    }

    [Fact]
    public void FindsTheNextStepOfASourceThatStartsWithTheParent()
    {
        var base1 = Image('1', ("ADD rootfs", 'a'), ("CMD [\"sh\"]", null));
        var built = Image('2', ("ADD rootfs", 'a'), ("CMD [\"sh\"]", null), ("RUN echo hi", 'b'), ("ENV A=1", null));
        var sources = new CacheSources([built]);

        var run = sources.Find(base1, "RUN echo hi");
        Assert.NotNull(run);
        Assert.Equal(2, run.Index);
        Assert.False(run.Last);
        Assert.Equal(D('b'), run.Layer);

        var afterRun = Image('3', ("ADD rootfs", 'a'), ("CMD [\"sh\"]", null), ("RUN echo hi", 'b'));
        var env = sources.Find(afterRun, "ENV A=1");
        Assert.NotNull(env);
        Assert.True(env.Last);
        Assert.Null(env.Layer);
        Assert.Same(built, env.Source);

        // Another command, or a parent the source does not start with: no match.
        Assert.Null(sources.Find(base1, "RUN echo other"));
        var otherBase = Image('4', ("ADD rootfs", 'c'), ("CMD [\"sh\"]", null));
        Assert.Null(sources.Find(otherBase, "RUN echo hi"));

        // History equal but a different layer below: no match either.
        var sameHistoryOtherLayer = Image('5', ("ADD rootfs", 'f'), ("CMD [\"sh\"]", null), ("RUN echo hi", 'b'));
        Assert.Null(sources.Find(sameHistoryOtherLayer, "ENV A=1"));

        // Past the source's end: nothing.
        Assert.Null(sources.Find(built, "RUN echo more"));
    }

    [Fact]
    public void ScratchParentFitsAnySourceWithHistory()
    {
        var fromScratch = Image('1', ("COPY file:x in / ", 'a'), ("CMD [\"/app\"]", null));
        var sources = new CacheSources([fromScratch]);
        var first = sources.Find(null, "COPY file:x in / ");
        Assert.NotNull(first);
        Assert.Equal(0, first.Index);
        Assert.Equal(D('a'), first.Layer);
        Assert.Null(sources.Find(null, "COPY file:y in / "));
    }

    [Fact]
    public void LocalHitsCountOnlyWhenPartOfASource()
    {
        var built = Image('2', ("ADD rootfs", 'a'), ("RUN echo hi", 'b'), ("ENV A=1", null));
        var sources = new CacheSources([built]);
        Assert.True(sources.Covers(Image('3', ("ADD rootfs", 'a'), ("RUN echo hi", 'b'))));
        Assert.True(sources.Covers(built));
        Assert.False(sources.Covers(Image('4', ("ADD rootfs", 'a'), ("RUN echo other", 'c'))));
        Assert.True(CacheSources.None.IsEmpty);
    }

    [Fact]
    public void ASourceWithMoreLayerEntriesThanLayersIsSkipped()
    {
        var broken = Image('2', ("ADD rootfs", 'a'), ("RUN echo hi", 'b')) with { DiffIds = [D('a')] };
        var parent = Image('1', ("ADD rootfs", 'a'));
        Assert.Null(new CacheSources([broken]).Find(parent, "RUN echo hi"));
    }
}
