using Cast2md.Queue;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.CommandLine;

/// <summary>cast2md queue status|list|reset|retry|cancel|priority|history against the published binary.</summary>
[Trait(SpecKinds.Category, SpecKinds.Processes)]
public sealed class QueueCommandSpecs
{
    [Fact(Timeout = 30_000)]
    public async Task I_can_see_the_queue_status_as_a_table_and_as_json()
    {
        // Arrange
        using var data = new CliData();
        var feed = data.AddFeed();
        data.Core.Queue.QueueDownload(data.AddEpisode(feed, "A").Id);
        data.Core.Queue.QueueDownload(data.AddEpisode(feed, "B").Id);

        // Act
        var human = await data.RunAsync("queue", "status");
        var json = await data.RunAsync("queue", "status", "--json");

        // Assert
        Assert.Equal(0, human.ExitCode);
        Assert.Matches(@"download\s+2\s+0\s+0\s+0\s+0", human.StandardOutput);
        Assert.Contains("No server is running", human.StandardOutput);
        var document = CliData.Json(json);
        Assert.False(document.GetProperty("server_running").GetBoolean());
        Assert.Equal(2, document.GetProperty("download_queue").GetProperty("queued").GetInt32());
        Assert.Equal(2, document.GetProperty("download_queue").GetProperty("queued_jobs").GetArrayLength());
        Assert.Equal(0, document.GetProperty("transcribe_queue").GetProperty("queued").GetInt32());
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_list_jobs_filtered_by_status_and_type()
    {
        // Arrange
        using var data = new CliData();
        var feed = data.AddFeed();
        var download = data.Core.Queue.QueueDownload(data.AddEpisode(feed, "Queued One").Id);
        var cancelled = data.Core.Queue.QueueDownload(data.AddEpisode(feed, "Cancelled One").Id);
        data.Core.Jobs.Cancel(cancelled.Id);

        // Act
        var queued = await data.RunAsync("queue", "list", "--status", "queued", "--type", "download", "--json");
        var human = await data.RunAsync("queue", "list");

        // Assert
        Assert.Equal(0, queued.ExitCode);
        var job = Assert.Single(CliData.Json(queued).GetProperty("jobs").EnumerateArray());
        Assert.Equal(download.Id, job.GetProperty("id").GetInt64());
        Assert.Equal("Queued One", job.GetProperty("episode_title").GetString());
        Assert.Contains("Cancelled One", human.StandardOutput);
        Assert.Contains("cancelled", human.StandardOutput);
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_try_to_list_jobs_of_an_unknown_type_and_get_exit_code_2()
    {
        // Arrange
        using var data = new CliData();

        // Act
        var result = await data.RunAsync("queue", "list", "--type", "upload");

        // Assert
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("upload", result.StandardError);
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_cancel_a_queued_job_and_retry_it()
    {
        // Arrange
        using var data = new CliData();
        var job = data.Core.Queue.QueueDownload(data.AddEpisode(data.AddFeed(), "E").Id);

        // Act
        var cancel = await data.RunAsync("queue", "cancel", job.Id.ToString());
        var afterCancel = data.Core.Jobs.Get(job.Id)!.Status;
        var retry = await data.RunAsync("queue", "retry", job.Id.ToString(), "--json");

        // Assert
        Assert.Equal(0, cancel.ExitCode);
        Assert.Contains($"Job {job.Id}", cancel.StandardOutput);
        Assert.Equal(JobStatus.Cancelled, afterCancel);
        Assert.Equal(0, retry.ExitCode);
        Assert.Equal("queued", CliData.Json(retry).GetProperty("status").GetString());
        Assert.Equal(JobStatus.Queued, data.Core.Jobs.Get(job.Id)!.Status);
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_reset_a_running_job_back_to_the_queue()
    {
        // Arrange
        using var data = new CliData();
        var job = data.Core.Queue.QueueDownload(data.AddEpisode(data.AddFeed(), "E").Id);
        var lease = data.Core.Jobs.TryClaim(JobType.Download, "elsewhere:1", TimeSpan.FromMinutes(5))!;

        // Act
        var result = await data.RunAsync("queue", "reset", job.Id.ToString());

        // Assert
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(job.Id, lease.Job.Id);
        var after = data.Core.Jobs.Get(job.Id)!;
        Assert.Equal(JobStatus.Queued, after.Status);
        Assert.Null(after.ClaimedBy);
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_try_to_reset_a_job_that_is_not_running_and_get_exit_code_1()
    {
        // Arrange
        using var data = new CliData();
        var job = data.Core.Queue.QueueDownload(data.AddEpisode(data.AddFeed(), "E").Id);

        // Act
        var notRunning = await data.RunAsync("queue", "reset", job.Id.ToString());
        var unknown = await data.RunAsync("queue", "cancel", "4242");

        // Assert
        Assert.Equal(1, notRunning.ExitCode);
        Assert.Contains("queued", notRunning.StandardError);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("Job 4242 not found", unknown.StandardError);
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_change_a_jobs_priority_and_read_its_history()
    {
        // Arrange
        using var data = new CliData();
        var job = data.Core.Queue.QueueDownload(data.AddEpisode(data.AddFeed(), "E").Id);

        // Act
        var priority = await data.RunAsync("queue", "priority", job.Id.ToString(), "3");
        var history = await data.RunAsync("queue", "history", job.Id.ToString(), "--json");
        var humanHistory = await data.RunAsync("queue", "history", job.Id.ToString());

        // Assert
        Assert.Equal(0, priority.ExitCode);
        Assert.Equal(3, data.Core.Jobs.Get(job.Id)!.Priority);
        var events = CliData.Json(history).GetProperty("history").EnumerateArray().Select(e => e.GetProperty("event").GetString()).ToList();
        Assert.Equal(["queued", "priority"], events);
        Assert.Contains("cli", humanHistory.StandardOutput);
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_cancel_a_job_while_another_process_holds_a_write_transaction_on_the_database()
    {
        // Arrange
        using var data = new CliData();
        var job = data.Core.Queue.QueueDownload(data.AddEpisode(data.AddFeed(), "E").Id);
        var connection = data.Core.Database.Connect();
        var transaction = connection.BeginTransaction(deferred: false);
        using (var write = connection.CreateCommand())
        {
            write.Transaction = transaction;
            write.CommandText = "UPDATE feeds SET updated_ms = updated_ms + 1;";
            write.ExecuteNonQuery();
        }
        var release = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            transaction.Commit();
            transaction.Dispose();
            connection.Dispose();
        });

        // Act
        var read = await data.RunAsync("queue", "list", "--json");
        var cancel = await data.RunAsync("queue", "cancel", job.Id.ToString());
        await release;

        // Assert
        Assert.Equal(0, read.ExitCode);
        Assert.Equal(0, cancel.ExitCode);
        Assert.Equal(JobStatus.Cancelled, data.Core.Jobs.Get(job.Id)!.Status);
    }
}
