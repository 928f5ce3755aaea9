using Cast2md.NodeAgent;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.NodeAgent;

public sealed class ProgressThrottleSpecs
{
    [Fact]
    public void I_can_report_progress_every_five_percent_or_five_seconds_and_no_more()
    {
        // Arrange
        var clock = new ManualClock();
        var throttle = new ProgressThrottle(clock);

        // Act / Assert
        Assert.True(throttle.ShouldReport(0.5)); // the first value goes out
        Assert.False(throttle.ShouldReport(2)); // +1.5 %, at once
        Assert.False(throttle.ShouldReport(5.4)); // +4.9 %
        Assert.True(throttle.ShouldReport(5.5)); // +5 %
        clock.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(throttle.ShouldReport(6));
        clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(throttle.ShouldReport(6)); // 5 s since the last report
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.False(throttle.ShouldReport(6)); // nothing new to say
        Assert.True(throttle.ShouldReport(100)); // the end always goes out
    }
}
