using System.Diagnostics;
using System.Globalization;
using System.Text;
using Cast2md.Library;
using Cast2md.Search;
using Cast2md.Storage;
using Cast2md.Transcripts;
using Microsoft.Data.Sqlite;

namespace Cast2md.Benchmarks;

/// <summary>
/// Full-text search at library scale: episodes × segments of generated English-like text written through the real
/// index (<see cref="FeedStore"/>, <see cref="EpisodeStore"/>, <see cref="SearchIndex.Replace"/>), then queries through
/// <see cref="SearchService.Search"/> — the one the CLI, the API and the MCP server run — timed per kind.
/// <para>
/// The text: a vocabulary of common English words followed by generated ones (syllables), drawn with a Zipf law (the
/// n-th word about 1/n as often as the first), so a few words are in most segments and most words in few. Query words are
/// drawn log-uniformly over frequency ranks 30–20,000: as many queries for words in a few percent of all segments as for
/// words in a few dozen. A separate row times the most frequent content words (ranks 30–60), the costly end.
/// </para>
/// With a database path that already holds the data, generation is skipped and only the queries run again.
/// </summary>
internal static class SearchBench
{
    private const int Vocabulary = 20_000;
    private const int QueriesPerKind = 300;

    public static int Run(int episodes, int segmentsPerEpisode, string? keep)
    {
        var dir = keep ?? Path.Combine(Path.GetTempPath(), "cast2md-search-bench-" + Guid.NewGuid().ToString("N"));
        var path = Path.Combine(dir, "bench.db");
        var reused = File.Exists(path);
        // A kept database of an older schema is brought up to date here: timed, as a user's upgrade would be.
        var opening = Stopwatch.StartNew();
        var database = Database.Open(path);
        if (reused)
            Console.WriteLine(
                string.Create(CultureInfo.InvariantCulture, $"opened (schema brought up to date) seconds={opening.Elapsed.TotalSeconds:0.0}")
            );
        var words = Words();
        var zipf = new Zipf(words.Length, 1.0);
        try
        {
            if (!reused)
            {
                var clock = Stopwatch.StartNew();
                Generate(database, words, zipf, episodes, segmentsPerEpisode);
                clock.Stop();
                Console.WriteLine(
                    $"generated episodes={episodes} segments={episodes * (long)segmentsPerEpisode} seconds={clock.Elapsed.TotalSeconds:0}"
                );
                Checkpoint(database);
            }
            Console.WriteLine($"segments_indexed={Count(database, "SELECT COUNT(*) FROM search_segments;")}");
            Sizes(database);

            var search = new SearchService(database);
            var random = new Random(14);
            var kinds = new (string Name, Func<string> Query)[]
            {
                ("one word", () => words[QueryRank(random)]),
                ("\"phrase\" (2-3 words, one outside the 100 most frequent)", () => Phrase(database, words, random, content: true)),
                ("prefix* (4-5 letters)", () => Prefix(words, random)),
                ("one word, most frequent (ranks 30-60)", () => words[random.Next(30, 61)]),
            };
            // Stop words ("the", "of", in most segments) are timed apart, with fewer queries: they are the worst case.
            var stopWords = ("stop word (ranks 0-29)", (Func<string>)(() => words[random.Next(0, 30)]), 20);
            var stopPhrases = (
                "\"phrase\" of the 100 most frequent words only",
                (Func<string>)(() => Phrase(database, words, random, content: false)),
                20
            );
            // Warm the page cache and the prepared-statement paths once, as a running server would be.
            for (var i = 0; i < 20; i++)
                search.Search(new SearchRequest(words[QueryRank(random)]));
            Console.WriteLine("| query | queries | p50 ms | p99 ms | max ms | mean hits/page |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            foreach (var (name, query, count) in kinds.Select(k => (k.Name, k.Query, QueriesPerKind)).Append(stopWords).Append(stopPhrases))
            {
                var times = new List<double>();
                long hits = 0;
                for (var i = 0; i < count; i++)
                {
                    var text = query();
                    var clock = Stopwatch.StartNew();
                    var page = search.Search(new SearchRequest(text));
                    clock.Stop();
                    times.Add(clock.Elapsed.TotalMilliseconds);
                    hits += page.Results.Count;
                }
                times.Sort();
                Console.WriteLine(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"| {name} | {times.Count} | {Percentile(times, 0.50):0.0} | {Percentile(times, 0.99):0.0} | {times[^1]:0.0} | {hits / (double)times.Count:0.0} |"
                    )
                );
            }
            IndexOne(database, words, zipf, segmentsPerEpisode);
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (keep is null)
                Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Feeds of 200 episodes each, every episode's segments replaced in one transaction per 50 episodes.</summary>
    private static void Generate(Database database, string[] words, Zipf zipf, int episodes, int segmentsPerEpisode)
    {
        var random = new Random(2026);
        var feeds = new FeedStore(database);
        var store = new EpisodeStore(database);
        var ids = new List<long>(episodes);
        var start = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var f = 0; ids.Count < episodes; f++)
        {
            var feed = feeds.Add($"https://bench.example/{f}.xml", new FeedMetadata(Sentence(words, zipf, random, 3, 6).TrimEnd('.')));
            var batch = Enumerable
                .Range(0, Math.Min(200, episodes - ids.Count))
                .Select(e => new EpisodeMetadata($"{f}-{e}", Sentence(words, zipf, random, 4, 10).TrimEnd('.'))
                {
                    Description = string.Join(' ', Enumerable.Range(0, 4).Select(_ => Sentence(words, zipf, random, 8, 20))),
                    AudioUrl = $"https://bench.example/{f}/{e}.mp3",
                    PublishedAt = start.AddHours(random.Next(0, 6 * 365 * 24)),
                })
                .ToList();
            ids.AddRange(store.Upsert(feed.Id, batch));
        }
        for (var i = 0; i < ids.Count; i += 50)
        {
            lock (database.Writer)
            {
                using var connection = database.Connect();
                using var transaction = connection.BeginTransaction(deferred: false);
                foreach (var id in ids.Skip(i).Take(50))
                {
                    SetTranscriptPath(connection, transaction, id);
                    SearchIndex.Replace(connection, transaction, id, Segments(words, zipf, random, segmentsPerEpisode));
                }
                transaction.Commit();
            }
            if ((i + 50) % 1000 == 0)
                Console.Error.WriteLine($"indexed {i + 50} episodes");
        }
    }

    /// <summary>One new episode's transcript indexed as a worker's completion indexes it (its own transaction), median of 15.</summary>
    private static void IndexOne(Database database, string[] words, Zipf zipf, int segments)
    {
        var random = new Random(7);
        var feed = new FeedStore(database).Add($"https://bench.example/new-{Guid.NewGuid():N}.xml", new FeedMetadata("New"));
        var times = new List<double>();
        for (var run = 0; run < 15; run++)
        {
            var id = new EpisodeStore(database)
                .Upsert(feed.Id, [new EpisodeMetadata($"new-{run}-{Guid.NewGuid():N}", "New episode") { AudioUrl = "https://bench.example/n.mp3" }])
                .Single();
            var transcript = Segments(words, zipf, random, segments).ToList();
            var clock = Stopwatch.StartNew();
            lock (database.Writer)
            {
                using var connection = database.Connect();
                using var transaction = connection.BeginTransaction(deferred: false);
                SearchIndex.Replace(connection, transaction, id, transcript);
                transaction.Commit();
            }
            clock.Stop();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        Console.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"index_one_transcript segments={segments} median_ms={times[times.Count / 2]:0.0} max_ms={times[^1]:0.0}"
            )
        );
    }

    private static void SetTranscriptPath(SqliteConnection connection, SqliteTransaction transaction, long id)
    {
        using var command = Sql(
            connection,
            "UPDATE episodes SET transcript_path = $path, status = 'completed' WHERE id = $id;",
            transaction,
            ("$path", $"bench/{id}.md"),
            ("$id", id)
        );
        command.ExecuteNonQuery();
    }

    private static IEnumerable<TranscriptJsonSegment> Segments(string[] words, Zipf zipf, Random random, int count)
    {
        var at = 0L;
        for (var s = 0; s < count; s++)
        {
            var text = Sentence(words, zipf, random, 6, 22);
            var length = 2_000L + random.Next(0, 6_000);
            yield return new TranscriptJsonSegment(at, at + length, at * 0.001m, (at + length) * 0.001m, text);
            at += length;
        }
    }

    private static string Sentence(string[] words, Zipf zipf, Random random, int min, int max)
    {
        var count = random.Next(min, max + 1);
        var builder = new StringBuilder();
        for (var w = 0; w < count; w++)
        {
            var word = words[zipf.Sample(random)];
            if (w == 0)
                word = char.ToUpperInvariant(word[0]) + word[1..];
            builder.Append(word);
            builder.Append(
                w == count - 1 ? "."
                : random.Next(12) == 0 ? ", "
                : " "
            );
        }
        return builder.ToString();
    }

    /// <summary>A frequency rank drawn log-uniformly from 30 to the vocabulary's end.</summary>
    private static int QueryRank(Random random) =>
        Math.Min(Vocabulary - 1, (int)Math.Exp(Math.Log(30) + random.NextDouble() * (Math.Log(Vocabulary) - Math.Log(30))));

    /// <summary>
    /// Two or three words that follow each other in a random indexed segment (so the phrase exists): with
    /// <paramref name="content"/> at least one of them outside the 100 most frequent words (as people search for
    /// "climate change", not "of the"), else all of them among those (the costly end).
    /// </summary>
    private static string Phrase(Database database, string[] words, Random random, bool content)
    {
        var common = words.Take(100).ToHashSet();
        using var connection = database.Connect();
        var max = Count(connection, "SELECT MAX(id) FROM search_segments;");
        while (true)
        {
            using var read = Sql(
                connection,
                "SELECT text FROM search_segments WHERE id >= $id ORDER BY id LIMIT 1;",
                null,
                ("$id", random.NextInt64(1, max + 1))
            );
            var parts = ((string)read.ExecuteScalar()!)
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Trim('.', ',').ToLowerInvariant())
                .ToArray();
            for (var attempt = 0; attempt < 10; attempt++)
            {
                var length = Math.Min(parts.Length, random.Next(2, 4));
                var phrase = parts.Skip(random.Next(0, parts.Length - length + 1)).Take(length).ToArray();
                if (content ? phrase.Any(w => !common.Contains(w)) : phrase.All(common.Contains))
                    return "\"" + string.Join(' ', phrase) + "\"";
            }
        }
    }

    private static string Prefix(string[] words, Random random)
    {
        string word;
        do word = words[QueryRank(random)];
        while (word.Length < 6);
        return word[..random.Next(4, 6)] + "*";
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static void Checkpoint(Database database)
    {
        using var connection = database.Connect();
        using var command = Sql(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// The file, and the bytes of each search index's FTS5 data (its <c>_data</c> shadow table: the inverted index itself;
    /// the segments' text is stored once, in <c>search_segments</c>, and the indexes are external-content).
    /// </summary>
    private static void Sizes(Database database)
    {
        Console.WriteLine($"database_file_mb={new FileInfo(database.Path).Length / 1048576.0:0}");
        using var connection = database.Connect();
        foreach (
            var table in (string[])
                ["search_segments_words", "search_segments_trigram", "search_segments_pairs", "search_episodes_words", "search_episodes_trigram"]
        )
        {
            // The table names are our constants (shadow tables cannot be parameters).
            var bytes = Count(connection, $"SELECT COALESCE(SUM(length(block)), 0) FROM {table}_data;");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fts5_data {table} mb={bytes / 1048576.0:0.0}"));
        }
        var text = Count(connection, "SELECT COALESCE(SUM(length(CAST(text AS BLOB))), 0) FROM search_segments;");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"segment_text mb={text / 1048576.0:0.0}"));
    }

    private static long Count(Database database, string sql)
    {
        using var connection = database.Connect();
        return Count(connection, sql);
    }

    private static long Count(SqliteConnection connection, string sql)
    {
        using var command = Sql(connection, sql);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static SqliteCommand Sql(
        SqliteConnection connection,
        string sql,
        SqliteTransaction? transaction = null,
        params (string Name, object Value)[] parameters
    )
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        return command;
    }

    /// <summary>About 300 common English words, most frequent first, then generated words of two to four syllables.</summary>
    private static string[] Words()
    {
        const string common =
            "the of and to a in is it you that he was for on are with as I his they be at one have this from or had by hot word but what "
            + "some we can out other were all there when up use your how said an each she which do their time if will way about many then "
            + "them write would like so these her long make thing see him two has look more day could go come did number sound no most people "
            + "my over know water than call first who may down side been now find any new work part take get place made live where after back "
            + "little only round man year came show every good me give our under name very through just form sentence great think say help low "
            + "line differ turn cause much mean before move right boy old too same tell does set three want air well also play small end put "
            + "home read hand port large spell add even land here must big high such follow act why ask men change went light kind off need "
            + "house picture try us again animal point mother world near build self earth father head stand own page should country found answer "
            + "school grow study still learn plant cover food sun four between state keep eye never last let thought city tree cross farm hard "
            + "start might story saw far sea draw left late run while press close night real life few north open seem together next white "
            + "children begin got walk example ease paper group always music those both mark often letter until mile river car feet care second "
            + "book carry took science eat room friend began idea fish mountain stop once base hear horse cut sure watch color face wood main";
        var list = common.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w.ToLowerInvariant()).Distinct().ToList();
        var seen = list.ToHashSet();
        string[] onsets =
        [
            "b",
            "c",
            "d",
            "f",
            "g",
            "h",
            "j",
            "k",
            "l",
            "m",
            "n",
            "p",
            "r",
            "s",
            "t",
            "v",
            "w",
            "z",
            "br",
            "cr",
            "dr",
            "fl",
            "gr",
            "pl",
            "st",
            "th",
            "sh",
            "ch",
            "tr",
            "sp",
        ];
        string[] vowels = ["a", "e", "i", "o", "u", "ai", "ea", "ou", "io", "y"];
        string[] codas = ["", "", "n", "r", "s", "t", "l", "m", "nd", "st", "ng", "ck", "rt"];
        var random = new Random(1);
        while (list.Count < Vocabulary)
        {
            var syllables = random.Next(2, 5);
            var word = new StringBuilder();
            for (var s = 0; s < syllables; s++)
                word.Append(onsets[random.Next(onsets.Length)]).Append(vowels[random.Next(vowels.Length)]).Append(codas[random.Next(codas.Length)]);
            var text = word.ToString();
            if (seen.Add(text))
                list.Add(text);
        }
        return [.. list];
    }

    /// <summary>Ranks 0..n-1 drawn with probability proportional to 1/(rank+1)^s (inverse of the cumulative sum, by binary search).</summary>
    private sealed class Zipf
    {
        private readonly double[] _cumulative;

        public Zipf(int n, double s)
        {
            _cumulative = new double[n];
            var sum = 0.0;
            for (var i = 0; i < n; i++)
                _cumulative[i] = sum += 1.0 / Math.Pow(i + 1, s);
            for (var i = 0; i < n; i++)
                _cumulative[i] /= sum;
        }

        public int Sample(Random random)
        {
            var index = Array.BinarySearch(_cumulative, random.NextDouble());
            return Math.Min(_cumulative.Length - 1, index < 0 ? ~index : index);
        }
    }
}
