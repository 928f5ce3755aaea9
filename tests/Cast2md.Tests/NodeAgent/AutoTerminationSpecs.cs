using Cast2md.NodeAgent;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.NodeAgent;

public sealed class AutoTerminationSpecs
{
    private static readonly NodeOptions Defaults = new();

    [Fact]
    public void I_can_stop_a_node_after_two_empty_checks_a_wait_apart_with_exit_code_10()
    {
        // Arrange
        var clock = new ManualClock();
        var rules = new AutoTermination(Defaults, clock);

        // Act
        rules.EmptyClaim();
        var afterOne = rules.Check(holdsJobs: false);
        clock.Advance(TimeSpan.FromSeconds(5));
        rules.EmptyClaim(); // a plain 5-second poll: not a new check yet
        var afterPoll = rules.Check(holdsJobs: false);
        clock.Advance(TimeSpan.FromSeconds(55));
        rules.EmptyClaim();

        // Assert
        Assert.Null(afterOne);
        Assert.Null(afterPoll);
        Assert.Equal(NodeExitReason.EmptyQueue, rules.Check(holdsJobs: false));
        Assert.Equal(10, NodeExitCodes.Of(NodeExitReason.EmptyQueue));
    }

    [Fact]
    public void I_can_claim_a_job_between_empty_checks_and_the_count_starts_over()
    {
        // Arrange
        var clock = new ManualClock();
        var rules = new AutoTermination(Defaults, clock);
        rules.EmptyClaim();
        clock.Advance(TimeSpan.FromSeconds(60));

        // Act
        rules.JobClaimed();
        rules.EmptyClaim();

        // Assert
        Assert.Equal(1, rules.EmptyChecks);
        Assert.Null(rules.Check(holdsJobs: false));
    }

    [Fact]
    public void I_can_stop_an_idle_node_after_the_idle_timeout_with_exit_code_11_but_not_while_it_works()
    {
        // Arrange
        var clock = new ManualClock();
        var rules = new AutoTermination(Defaults with { RequiredEmptyChecks = 0 }, clock);

        // Act
        clock.Advance(TimeSpan.FromMinutes(9.9));
        rules.ServerReached();
        var before = rules.Check(holdsJobs: false);
        clock.Advance(TimeSpan.FromMinutes(0.1));

        // Assert
        Assert.Null(before);
        Assert.Null(rules.Check(holdsJobs: true));
        Assert.Equal(NodeExitReason.Idle, rules.Check(holdsJobs: false));
        Assert.Equal(11, NodeExitCodes.Of(NodeExitReason.Idle));
    }

    [Fact]
    public void I_can_stop_a_node_whose_server_is_gone_with_exit_code_12()
    {
        // Arrange
        var clock = new ManualClock();
        var rules = new AutoTermination(Defaults with { IdleTimeout = TimeSpan.Zero, ServerUnreachableTimeout = TimeSpan.FromMinutes(0.05) }, clock);
        rules.ServerReached();

        // Act
        clock.Advance(TimeSpan.FromSeconds(2));
        var early = rules.Check(holdsJobs: false);
        clock.Advance(TimeSpan.FromSeconds(1));

        // Assert
        Assert.Null(early);
        Assert.Equal(NodeExitReason.ServerUnreachable, rules.Check(holdsJobs: false));
        Assert.Equal(12, NodeExitCodes.Of(NodeExitReason.ServerUnreachable));
    }

    [Fact]
    public void I_can_trip_the_circuit_breaker_with_three_failures_in_a_row_and_a_success_resets_it()
    {
        // Arrange
        var rules = new AutoTermination(Defaults, new ManualClock());

        // Act
        rules.JobFinished(succeeded: false);
        rules.JobFinished(succeeded: false);
        rules.JobFinished(succeeded: true);
        rules.JobFinished(succeeded: false);
        rules.JobFinished(succeeded: false);
        var afterReset = rules.Check(holdsJobs: true);
        rules.JobFinished(succeeded: false);

        // Assert
        Assert.Null(afterReset);
        Assert.Equal(NodeExitReason.CircuitBreaker, rules.Check(holdsJobs: true));
        Assert.Equal(13, NodeExitCodes.Of(NodeExitReason.CircuitBreaker));
    }

    [Fact]
    public void I_can_run_a_persistent_node_that_no_rule_stops()
    {
        // Arrange
        var clock = new ManualClock();
        var rules = new AutoTermination(Defaults with { Persistent = true }, clock);

        // Act
        for (var i = 0; i < 5; i++)
        {
            rules.EmptyClaim();
            rules.JobFinished(succeeded: false);
            clock.Advance(TimeSpan.FromMinutes(30));
        }

        // Assert
        Assert.Null(rules.Check(holdsJobs: false));
    }

    [Fact]
    public void I_can_disable_single_rules_with_zero()
    {
        // Arrange
        var clock = new ManualClock();
        var rules = new AutoTermination(
            new NodeOptions
            {
                RequiredEmptyChecks = 0,
                IdleTimeout = TimeSpan.Zero,
                ServerUnreachableTimeout = TimeSpan.Zero,
                MaxConsecutiveFailures = 0,
            },
            clock
        );

        // Act
        for (var i = 0; i < 5; i++)
        {
            rules.EmptyClaim();
            rules.JobFinished(succeeded: false);
            clock.Advance(TimeSpan.FromHours(1));
        }

        // Assert
        Assert.Null(rules.Check(holdsJobs: false));
    }

    [Fact]
    public void I_can_tell_every_reason_by_its_own_exit_code()
    {
        var codes = Enum.GetValues<NodeExitReason>().Select(NodeExitCodes.Of).ToList();
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.Equal(130, NodeExitCodes.Of(NodeExitReason.Stopped));
        Assert.Equal(14, NodeExitCodes.Of(NodeExitReason.Unregistered));
    }
}
