using Cast2md.NodeRegistry;

namespace Cast2md.Benchmarks;

/// <summary>
/// The dispatcher's choice on a simulated fleet: each idle node takes a queued episode, and the time until the last
/// one is transcribed (the makespan) is compared between speed-aware routing (<see cref="SpeedRouting"/>), the queue's
/// own order (oldest first) and random assignment, over many generated queues.
/// </summary>
internal static class RoutingBench
{
    public static int Run(int episodes, int rounds)
    {
        // Real-time factors: two GPU boxes, three CPU nodes, one small cloud worker.
        double[] fleet = [30, 30, 4, 4, 4, 1.5];
        var results = new Dictionary<string, List<double>>
        {
            ["speed-aware"] = [],
            ["oldest first"] = [],
            ["random"] = [],
        };
        var bound = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var random = new Random(round);
            // Episode lengths as podcasts have them: mostly 20–90 minutes, some short news, some 3-hour interviews.
            var minutes = Enumerable
                .Range(0, episodes)
                .Select(_ =>
                    random.NextDouble() switch
                    {
                        < 0.15 => 5 + random.NextDouble() * 15,
                        < 0.85 => 20 + random.NextDouble() * 70,
                        _ => 90 + random.NextDouble() * 120,
                    }
                )
                .ToArray();
            // No assignment beats all nodes busy until the same moment: the whole work over the fleet's total speed.
            bound.Add(minutes.Sum() / fleet.Sum());
            results["speed-aware"]
                .Add(Simulate(fleet, minutes, (queue, speed) =>
                    {
                        var byLength = queue.OrderByDescending(i => minutes[i]).ThenBy(i => i).ToList();
                        var position = SpeedRouting.Position(speed, fleet) ?? 0;
                        return byLength[(int)(byLength.Count * position)];
                    }));
            results["oldest first"].Add(Simulate(fleet, minutes, (queue, _) => queue.Min()));
            var pick = new Random(round + 1_000_000);
            results["random"].Add(Simulate(fleet, minutes, (queue, _) => queue.ElementAt(pick.Next(queue.Count))));
        }
        Console.WriteLine($"routing: fleet {string.Join(", ", fleet.Select(f => $"{f}x"))} real time; {episodes} episodes a round, {rounds} rounds");
        Console.WriteLine("| assignment | makespan, mean (hours) | median | worst | against random |");
        Console.WriteLine("| --- | --- | --- | --- | --- |");
        var baseline = results["random"].Average();
        foreach (var (name, spans) in results)
        {
            var sorted = spans.Order().ToList();
            Console.WriteLine(
                $"| {name} | {spans.Average() / 60:0.00} | {sorted[sorted.Count / 2] / 60:0.00} | {sorted[^1] / 60:0.00} | {spans.Average() / baseline:0.00} |"
            );
        }
        Console.WriteLine($"| (lower bound: every node busy to the end) | {bound.Average() / 60:0.00} | | | {bound.Average() / baseline:0.00} |");
        return 0;
    }

    /// <summary>Event by event: the node that frees up first takes the episode <paramref name="choose"/> picks; the minute the last one ends.</summary>
    private static double Simulate(double[] fleet, double[] minutes, Func<IReadOnlyCollection<int>, double, int> choose)
    {
        var queue = new SortedSet<int>(Enumerable.Range(0, minutes.Length));
        var free = new PriorityQueue<int, double>();
        for (var n = 0; n < fleet.Length; n++)
            free.Enqueue(n, 0);
        var end = 0.0;
        while (queue.Count > 0)
        {
            free.TryDequeue(out var node, out var at);
            var episode = choose(queue, fleet[node]);
            queue.Remove(episode);
            var done = at + minutes[episode] / fleet[node];
            end = Math.Max(end, done);
            free.Enqueue(node, done);
        }
        return end;
    }
}
