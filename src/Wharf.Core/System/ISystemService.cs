namespace Wharf.Core.System;

public interface ISystemService
{
    SystemFacts GetFacts();
}
