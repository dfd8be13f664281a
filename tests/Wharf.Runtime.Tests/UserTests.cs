using Wharf.Core.Errors;

namespace Wharf.Runtime.Tests;

public sealed class UserTests
{
    private static Oci.Runtime.User UserOf(string user, IReadOnlyList<string>? groupAdd = null, FakeUserFiles? files = null) =>
        Specs.Build(Specs.Request(r => r with { User = user, GroupAdd = groupAdd ?? [] }), files).Process!.User;

    [Fact]
    public void EmptyIsRootWithItsGroups()
    {
        var u = UserOf("");
        Assert.Equal((0u, 0u), (u.Uid, u.Gid));
        Assert.Equal([0u], u.AdditionalGids);
    }

    [Fact]
    public void NameResolvesUidGidAndMembershipGroups()
    {
        var u = UserOf("alice");
        Assert.Equal((1000u, 1000u), (u.Uid, u.Gid));
        Assert.Equal([1000u, 29u, 44u], u.AdditionalGids);
    }

    [Fact]
    public void NumericUidNeedsNoPasswdEntry()
    {
        var u = UserOf("4242");
        Assert.Equal((4242u, 0u), (u.Uid, u.Gid));
        var none = UserOf("4242:77", files: FakeUserFiles.None);
        Assert.Equal((4242u, 77u), (none.Uid, none.Gid));
        Assert.Equal([77u], none.AdditionalGids);
    }

    [Fact]
    public void NumericUidThatExistsTakesItsGid()
    {
        var u = UserOf("1000");
        Assert.Equal((1000u, 1000u), (u.Uid, u.Gid));
    }

    [Fact]
    public void ExplicitGroupByNameHasNoSupplementaryGroups()
    {
        var u = UserOf("alice:staff");
        Assert.Equal((1000u, 50u), (u.Uid, u.Gid));
        Assert.Equal([50u], u.AdditionalGids);
    }

    [Fact]
    public void UnknownUserIsDockersError()
    {
        var e = Assert.Throws<WharfException>(() => UserOf("bob"));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal("unable to find user bob: no matching entries in passwd file", e.Message);
        var missing = Assert.Throws<WharfException>(() => UserOf("bob", files: FakeUserFiles.None));
        Assert.Equal("unable to find user bob: no matching entries in passwd file", missing.Message);
    }

    [Fact]
    public void UnknownGroupIsDockersError()
    {
        var e = Assert.Throws<WharfException>(() => UserOf("alice:nogroup"));
        Assert.Equal("unable to find group nogroup: no matching entries in group file", e.Message);
    }

    [Fact]
    public void OutOfRangeIdIsRejected()
    {
        var e = Assert.Throws<WharfException>(() => UserOf("4294967296"));
        Assert.Equal("uids and gids must be in range 0-2147483647", e.Message);
    }

    [Fact]
    public void GroupAddAppendsByNameAndNumber()
    {
        var u = UserOf("alice", ["staff", "999", "staff"]);
        Assert.Equal([1000u, 29u, 44u, 50u, 999u], u.AdditionalGids);
        var e = Assert.Throws<WharfException>(() => UserOf("alice", ["wheel"]));
        Assert.Equal("unable to find group wheel: no matching entries in group file", e.Message);
    }
}
