using Cast2md.Queue;
using Cast2md.Tests.Infra;
using CliWrap;
using CliWrap.Buffered;
using Xunit;

namespace Cast2md.Tests.Queue;

[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class MultiProcessClaimSpecs
{
    [Fact(Timeout = 120_000)]
    public async Task I_can_have_four_processes_claim_a_thousand_jobs_from_one_database_file_and_each_job_is_claimed_once()
    {
        // Arrange
        using var db = new TestDatabase();
        var jobs = new JobStore(db.Database);
        for (var i = 0; i < 1000; i++)
            jobs.Enqueue(db.AddEpisode($"e{i}"), JobType.Download);

        // Act: four separate processes, each with its own connections, race over the same file.
        var runs = Enumerable
            .Range(1, 4)
            .Select(worker =>
                Cli.Wrap(Paths.Dummy)
                    .WithArguments(["claim-jobs", db.Path, $"process-{worker}"])
                    .WithValidation(CommandResultValidation.None)
                    .ExecuteBufferedAsync()
            )
            .ToList();
        var results = await Task.WhenAll(runs.Select(r => r.Task));

        // Assert
        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.StandardError));
        var claimed = results.SelectMany(r => r.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Select(long.Parse).ToList();
        Assert.Equal(1000, claimed.Count);
        Assert.Equal(1000, claimed.Distinct().Count());
        Assert.Equal(1000, jobs.Counts(JobType.Download).Completed);
        Assert.True(results.Count(r => r.StandardOutput.Length > 0) > 1, "only one process got any work; the race was not exercised");
    }
}
