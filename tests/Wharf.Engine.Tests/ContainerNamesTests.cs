using Wharf.Core.Errors;
using Wharf.Engine.Containers;

namespace Wharf.Engine.Tests;

public sealed class ContainerNamesTests
{
    [Fact]
    public void IdsAreLongHexWithANonNumericShortForm()
    {
        for (var i = 0; i < 200; i++)
        {
            var id = ContainerNames.NewId();
            Assert.Matches("^[0-9a-f]{64}$", id);
            Assert.False(id[..12].All(char.IsAsciiDigit));
        }
    }

    [Theory]
    [InlineData("web", "web")]
    [InlineData("/web", "web")]
    [InlineData("a.b-c_d", "a.b-c_d")]
    [InlineData("X1", "X1")]
    public void AcceptsDockerNames(string given, string stored) => Assert.Equal(stored, ContainerNames.Normalize(given));

    [Theory]
    [InlineData("a")]
    [InlineData("-web")]
    [InlineData("we b")]
    [InlineData("web/1")]
    [InlineData("")]
    [InlineData("_x")]
    public void RejectsOthersWithDockersMessage(string name)
    {
        var e = Assert.Throws<WharfException>(() => ContainerNames.Normalize(name));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal($"Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", e.Message);
    }

    [Fact]
    public void GeneratedNamesAreValidAndAvoidTakenOnes()
    {
        var taken = new HashSet<string>();
        for (var i = 0; i < 300; i++)
        {
            var name = ContainerNames.Generate(taken.Contains);
            Assert.Equal(name, ContainerNames.Normalize(name));
            Assert.True(taken.Add(name));
        }
    }

    [Fact]
    public void NameInUseIsAConflict()
    {
        var e = ContainerNames.NameInUse("web", "abc");
        Assert.Equal(ErrorKind.Conflict, e.Kind);
        Assert.StartsWith("Conflict. The container name \"/web\" is already in use by container \"abc\"", e.Message);
    }
}
