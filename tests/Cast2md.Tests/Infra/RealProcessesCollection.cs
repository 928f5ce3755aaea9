using Xunit;

namespace Cast2md.Tests.Infra;

/// <summary>
/// Specs that run several real cast2md processes at once (a server, nodes, a monitor in tmux, the installer) and
/// wait on what they do. On a 2-core machine two of them side by side, plus the parallel unit specs, starve each
/// other into timeouts; in this collection they run one at a time, after the parallel specs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealProcessesCollection
{
    public const string Name = "real processes";
}
