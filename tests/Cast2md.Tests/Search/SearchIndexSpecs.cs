using Cast2md.Search;
using Cast2md.Services;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Cast2md.Tests.Search;

public sealed class SearchIndexSpecs : IDisposable
{
    private readonly SearchData _data = new();

    [Fact]
    public void The_sqlite_we_ship_has_fts5_with_the_trigram_tokenizer()
    {
        // Arrange
        using var connection = _data.Core.Database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sqlite_compileoption_used('ENABLE_FTS5'), sqlite_version();";

        // Act
        using var reader = command.ExecuteReader();
        reader.Read();

        // Assert
        Assert.Equal(1L, reader.GetInt64(0));
        Assert.True(Version.Parse(reader.GetString(1)) >= new Version(3, 34), "trigram needs SQLite 3.34");
    }

    [Fact(Timeout = 20000)]
    public async Task A_committed_transcript_is_found_with_its_episode_feed_time_and_a_marked_snippet()
    {
        // Arrange
        var feed = _data.AddFeed("Café Talk");
        var episode = _data.AddEpisode(feed, "Beans", new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero));
        await _data.TranscribeAsync(episode, "Welcome to the show.", "Today we roast coffee beans slowly.", "Goodbye.");

        // Act
        var page = _data.Search("COFFEE");

        // Assert
        var hit = Assert.Single(page.Results);
        Assert.Equal(("segment", episode.Id, "Beans", feed.Id, "Café Talk"), (hit.Kind, hit.EpisodeId, hit.EpisodeTitle, hit.FeedId, hit.FeedTitle));
        Assert.Equal((10_000L, 19_000L, "00:00:10"), (hit.StartMs!.Value, hit.EndMs!.Value, hit.Start));
        Assert.Contains("**coffee**", hit.Snippet);
        Assert.Equal(new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero), hit.PublishedAt);
        Assert.False(page.HasMore);
    }

    [Fact(Timeout = 60000)]
    public async Task A_feeds_match_is_found_when_another_feed_has_more_newer_matches_than_are_ranked()
    {
        // Arrange: the quiet feed's one match is indexed first, then the loud feed's, more than the ranked pool
        var quiet = _data.AddFeed("Quiet");
        await _data.TranscribeAsync(_data.AddEpisode(quiet, "Old keeper"), "The lighthouse stood alone.");
        var loud = _data.AddFeed("Loud");
        await _data.TranscribeAsync(
            _data.AddEpisode(loud, "Many lights"),
            [.. Enumerable.Range(0, SearchService.RankedPool + 50).Select(i => $"Lighthouse number {i} blinks.")]
        );

        // Act
        var everywhere = _data.Search("lighthouse");
        var quietOnly = _data.Search("lighthouse", feed: quiet.Id);

        // Assert
        Assert.Equal(20, everywhere.Results.Count);
        Assert.True(everywhere.HasMore);
        var hit = Assert.Single(quietOnly.Results);
        Assert.Equal("Old keeper", hit.EpisodeTitle);
    }

    [Fact(Timeout = 20000)]
    public async Task Diacritics_phrases_prefixes_and_exclusions_match_as_a_user_expects()
    {
        // Arrange
        var feed = _data.AddFeed();
        var episode = _data.AddEpisode(feed, "Mixed");
        await _data.TranscribeAsync(episode, "Le café est très chaud.", "The quick brown fox.", "Brown bread and quick toast.");

        // Act
        var accent = _data.Search("cafe tres");
        var phrase = _data.Search("\"quick brown\"");
        var prefix = _data.Search("bre*");
        var excluded = _data.Search("quick -fox");

        // Assert
        Assert.Equal(0L, Assert.Single(accent.Results).StartMs);
        Assert.Equal(10_000L, Assert.Single(phrase.Results).StartMs);
        Assert.Equal(20_000L, Assert.Single(prefix.Results).StartMs);
        Assert.Equal(20_000L, Assert.Single(excluded.Results).StartMs);
    }

    [Fact(Timeout = 20000)]
    public async Task A_phrase_ranks_as_bm25_does_more_occurrences_and_shorter_segments_first_and_marks_the_phrase()
    {
        // Arrange: the same phrase once in a long segment, once in a short one, twice in a third; a decoy with both
        // words apart
        var feed = _data.AddFeed();
        var episode = _data.AddEpisode(feed, "Weather");
        await _data.TranscribeAsync(
            episode,
            "Then at last, after a very long wait and many other things that happened, came the cold front over the hills.",
            "A cold front.",
            "Cold front after cold front rolled in.",
            "The front door was cold."
        );

        // Act
        var phrase = _data.Search("\"cold front\"");
        var excluded = _data.Search("\"cold front\" -rolled");
        using var connection = _data.Core.Database.Connect();
        using var fts5 = connection.CreateCommand();
        fts5.CommandText =
            "SELECT s.start_ms FROM search_segments_words w JOIN search_segments s ON s.id = w.rowid "
            + "WHERE search_segments_words MATCH '\"cold front\"' ORDER BY w.rank;";
        var byFts5 = new List<long>();
        using (var reader = fts5.ExecuteReader())
            while (reader.Read())
                byFts5.Add(reader.GetInt64(0));

        // Assert
        Assert.Equal([20_000L, 10_000L, 0L], phrase.Results.Select(r => r.StartMs!.Value));
        Assert.Equal(byFts5, phrase.Results.Select(r => r.StartMs!.Value));
        Assert.Contains("**cold front**", phrase.Results[1].Snippet, StringComparison.OrdinalIgnoreCase);
        Assert.Equal([10_000L, 0L], excluded.Results.Select(r => r.StartMs!.Value));
    }

    [Fact(Timeout = 60000)]
    public async Task A_phrase_in_more_segments_than_are_ranked_is_answered_from_its_newest_matches_and_a_feed_filter_still_finds_an_old_one()
    {
        // Arrange: an old match in a quiet feed, then more matches of the phrase in a loud feed than the ranked pool
        var quiet = _data.AddFeed("Quiet");
        await _data.TranscribeAsync(_data.AddEpisode(quiet, "Old keeper"), "The harbour light went dark.");
        var loud = _data.AddFeed("Loud");
        await _data.TranscribeAsync(
            _data.AddEpisode(loud, "Many lights"),
            [.. Enumerable.Range(0, SearchService.RankedPool + 50).Select(i => $"Harbour light number {i} blinks.")]
        );

        // Act
        var everywhere = _data.Search("\"harbour light\"");
        var quietOnly = _data.Search("\"harbour light\"", feed: quiet.Id);

        // Assert
        Assert.Equal(20, everywhere.Results.Count);
        Assert.True(everywhere.HasMore);
        Assert.All(everywhere.Results, r => Assert.Equal("Many lights", r.EpisodeTitle));
        Assert.Equal("Old keeper", Assert.Single(quietOnly.Results).EpisodeTitle);
    }

    [Theory]
    [InlineData("Café CRÈME, crème!", new[] { "cafe", "creme", "creme" })]
    [InlineData("it's 3-to-1", new[] { "it", "s", "3", "to", "1" })]
    public void Phrase_ranking_cuts_words_as_the_index_does(string text, string[] expected) =>
        Assert.Equal(expected, Cast2md.Storage.IndexWords.Of(text));

    [Fact]
    public void A_database_indexed_before_the_prefix_indexes_finds_the_same_words_and_prefixes_after_the_upgrade()
    {
        // Arrange: a database as the schema before the prefix indexes left it, one episode and two segments indexed
        using var dir = Cast2md.Tests.Infra.TempDir.Create();
        var path = Cast2md.DataFolder.DataDirectory.DatabasePath(dir.Path);
        Directory.CreateDirectory(dir.Path);
        using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            // Version 5: the schema just before the prefix indexes (step 6), whatever steps follow them.
            Cast2md.Storage.Migrations.Apply(connection, upTo: 5);
            using var seed = connection.CreateCommand();
            seed.CommandText = """
                INSERT INTO feeds (id, url, title, created_ms, updated_ms) VALUES (1, 'https://example.test/f.xml', 'F', 0, 0);
                INSERT INTO episodes (id, feed_id, guid, title, created_ms, updated_ms) VALUES (1, 1, 'g1', 'Transatlantic flights', 0, 0);
                INSERT INTO search_segments (episode_id, start_ms, end_ms, text) VALUES (1, 0, 9000, 'We talk about transcription.'), (1, 10000, 19000, 'And about trains.');
                """;
            seed.ExecuteNonQuery();
        }
        SqliteConnection.ClearAllPools();

        // Act
        var core = Cast2mdCore.Open(dir.Path, _ => null);
        var prefix = core.Search.Search(new SearchRequest("tra*", null, null, 20, 0));
        var word = core.Search.Search(new SearchRequest("transcription", null, null, 20, 0));
        using var upgraded = core.Database.Connect();
        using var schema = upgraded.CreateCommand();
        schema.CommandText = "SELECT group_concat(sql, ' ') FROM sqlite_master WHERE name IN ('search_segments_words', 'search_episodes_words');";
        var tables = (string)schema.ExecuteScalar()!;

        // Assert: both word indexes were rebuilt with the prefix indexes and still hold every row
        Assert.Equal(2, tables.Split("prefix='2 3 4 5'").Length - 1);
        Assert.Equal(["episode", "segment", "segment"], prefix.Results.Select(r => r.Kind).Order());
        Assert.Equal(0L, Assert.Single(word.Results).StartMs);
        SqliteConnection.ClearAllPools();
    }

    [Fact(Timeout = 20000)]
    public async Task A_phrase_is_found_through_the_word_pairs_in_exactly_the_segments_the_word_index_finds()
    {
        // Arrange: phrases of the commonest words, a phrase repeated inside itself, accents and punctuation between its
        // words, decoys with the words apart or in the other order; then a retranscription and a deleted episode
        var feed = _data.AddFeed();
        var kept = _data.AddEpisode(feed, "Kept");
        var retranscribed = _data.AddEpisode(feed, "Retranscribed");
        var deleted = _data.AddEpisode(feed, "Deleted");
        await _data.TranscribeAsync(
            kept,
            "Tell the truth.",
            "The truth, tell it.",
            "Tell, the truth!",
            "the the the",
            "Du café à la crème.",
            "Tell them the truth.",
            "of the people, by the people, for the people"
        );
        await _data.TranscribeAsync(retranscribed, "First we tell the truth.");
        await _data.TranscribeAsync(retranscribed, "Then we hide the truth.");
        await _data.TranscribeAsync(deleted, "They tell the truth too.");
        using (var connection = _data.Core.Database.Connect())
        using (var delete = connection.CreateCommand())
        {
            delete.CommandText = "DELETE FROM episodes WHERE id = $id;";
            delete.Parameters.AddWithValue("$id", deleted.Id);
            delete.ExecuteNonQuery();
        }
        string[] phrases =
        [
            "\"tell the truth\"",
            "\"tell the\"",
            "\"the the\"",
            "\"the the the\"",
            "\"cafe a la\"",
            "\"the people\"",
            "\"truth tell\"",
            "\"hide the truth\"",
        ];

        foreach (var phrase in phrases)
        {
            // Act
            var found = _data
                .Search(phrase, limit: 100)
                .Results.Where(r => r.Kind == "segment")
                .Select(r => (r.EpisodeId, r.StartMs!.Value))
                .Order()
                .ToList();
            using var connection = _data.Core.Database.Connect();
            using var fts5 = connection.CreateCommand();
            fts5.CommandText =
                "SELECT s.episode_id, s.start_ms FROM search_segments_words w JOIN search_segments s ON s.id = w.rowid "
                + "WHERE search_segments_words MATCH $phrase;";
            fts5.Parameters.AddWithValue("$phrase", phrase);
            var byWords = new List<(long, long)>();
            using (var reader = fts5.ExecuteReader())
                while (reader.Read())
                    byWords.Add((reader.GetInt64(0), reader.GetInt64(1)));

            // Assert
            Assert.True(
                byWords.Order().SequenceEqual(found),
                $"{phrase}: the word index finds [{string.Join(", ", byWords.Order())}], the search [{string.Join(", ", found)}]"
            );
        }
        Assert.Equal(2, _data.Search("\"tell the truth\"").Results.Count(r => r.Kind == "segment")); // "Tell the truth." and "Tell, the truth!"
        Assert.Single(_data.Search("\"hide the truth\"").Results);
    }

    [Fact]
    public void A_database_indexed_before_the_word_pair_index_finds_its_phrases_after_the_upgrade()
    {
        // Arrange: a database as the schema just before the word-pair index left it, with segments indexed
        using var dir = Cast2md.Tests.Infra.TempDir.Create();
        var path = Cast2md.DataFolder.DataDirectory.DatabasePath(dir.Path);
        Directory.CreateDirectory(dir.Path);
        using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            Cast2md.Storage.Migrations.Apply(connection, upTo: PairIndexStep - 1);
            using var seed = connection.CreateCommand();
            seed.CommandText = """
                INSERT INTO feeds (id, url, title, created_ms, updated_ms) VALUES (1, 'https://example.test/f.xml', 'F', 0, 0);
                INSERT INTO episodes (id, feed_id, guid, title, created_ms, updated_ms) VALUES (1, 1, 'g1', 'Before', 0, 0);
                INSERT INTO search_segments (episode_id, start_ms, end_ms, text) VALUES (1, 0, 9000, 'Tell the truth.'), (1, 10000, 19000, 'The truth, tell it.');
                """;
            seed.ExecuteNonQuery();
        }
        SqliteConnection.ClearAllPools();

        // Act
        var core = Cast2mdCore.Open(dir.Path, _ => null);
        var phrase = core.Search.Search(new SearchRequest("\"tell the truth\"", null, null, 20, 0));
        var other = core.Search.Search(new SearchRequest("\"truth tell\"", null, null, 20, 0));

        // Assert
        Assert.Equal(0L, Assert.Single(phrase.Results).StartMs);
        Assert.Equal(10_000L, Assert.Single(other.Results).StartMs);
        SqliteConnection.ClearAllPools();
    }

    // The schema version that adds search_segments_pairs (the spans step is the one before it).
    private const int PairIndexStep = 8;

    [Fact(Timeout = 20000)]
    public async Task A_retranscription_replaces_the_old_segments()
    {
        // Arrange
        var feed = _data.AddFeed();
        var episode = _data.AddEpisode(feed, "Twice");
        await _data.TranscribeAsync(episode, "The first take mentions zebras.");

        // Act
        await _data.TranscribeAsync(episode, "The second take mentions giraffes.");

        // Assert
        Assert.Empty(_data.Search("zebras").Results);
        Assert.Single(_data.Search("giraffes").Results);
        Assert.Equal(2L, _data.SegmentCount());
    }

    [Fact(Timeout = 20000)]
    public async Task Deleting_an_episode_or_its_feed_takes_its_segments_and_title_out_of_the_index()
    {
        // Arrange
        var kept = _data.AddFeed("Kept");
        var gone = _data.AddFeed("Gone");
        var keptEpisode = _data.AddEpisode(kept, "Kept walrus");
        var goneEpisode = _data.AddEpisode(gone, "Gone walrus");
        var lonely = _data.AddEpisode(kept, "Lonely");
        await _data.TranscribeAsync(keptEpisode, "A walrus talks.");
        await _data.TranscribeAsync(goneEpisode, "Another walrus talks.");
        await _data.TranscribeAsync(lonely, "A walrus alone.");

        // Act
        _data.Core.FeedService.Delete(gone.Id);
        using (var connection = _data.Core.Database.Connect())
        using (var delete = connection.CreateCommand())
        {
            delete.CommandText = "DELETE FROM episodes WHERE id = $id;";
            delete.Parameters.AddWithValue("$id", lonely.Id);
            delete.ExecuteNonQuery();
        }

        // Assert
        var hits = _data.Search("walrus").Results;
        Assert.All(hits, h => Assert.Equal(keptEpisode.Id, h.EpisodeId));
        Assert.Equal(["episode", "segment"], hits.Select(h => h.Kind).Order());
        Assert.Equal(2L, _data.SegmentCount());
    }

    [Fact(Timeout = 20000)]
    public async Task Titles_and_descriptions_are_found_and_follow_a_rename()
    {
        // Arrange
        var feed = _data.AddFeed();
        var episode = _data.AddEpisode(feed, "Octopus special", description: "All about cephalopods.");

        // Act
        var byDescription = _data.Search("cephalopods");
        using (var connection = _data.Core.Database.Connect())
        using (var rename = connection.CreateCommand())
        {
            rename.CommandText = "UPDATE episodes SET title = 'Squid special' WHERE id = $id;";
            rename.Parameters.AddWithValue("$id", episode.Id);
            rename.ExecuteNonQuery();
        }

        // Assert
        var hit = Assert.Single(byDescription.Results);
        Assert.Equal(("episode", (long?)null), (hit.Kind, hit.StartMs));
        Assert.Empty(_data.Search("octopus").Results);
        Assert.Single(_data.Search("squid").Results);
        await Task.CompletedTask;
    }

    [Fact(Timeout = 20000)]
    public async Task Feed_and_date_filters_and_paging_narrow_the_hits()
    {
        // Arrange
        var one = _data.AddFeed("One");
        var two = _data.AddFeed("Two");
        var old = _data.AddEpisode(one, "Old", new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var recent = _data.AddEpisode(one, "Recent", new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var other = _data.AddEpisode(two, "Other", new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        foreach (var episode in new[] { old, recent, other })
            await _data.TranscribeAsync(episode, "Penguins march.", "More penguins.");

        // Act
        var byFeed = _data.Search("penguins", feed: two.Id);
        var since = _data.Search("penguins", since: SearchService.ParseSince("2024-01-01"));
        var first = _data.Search("penguins", limit: 4);
        var second = _data.Search("penguins", limit: 4, offset: 4);

        // Assert
        Assert.All(byFeed.Results, h => Assert.Equal(other.Id, h.EpisodeId));
        Assert.Equal(2, byFeed.Results.Count);
        Assert.DoesNotContain(since.Results, h => h.EpisodeId == old.Id);
        Assert.Equal(4, since.Results.Count);
        Assert.True(first.HasMore);
        Assert.Equal((2, false), (second.Results.Count, second.HasMore));
        Assert.Empty(first.Results.Select(h => (h.EpisodeId, h.StartMs)).Intersect(second.Results.Select(h => (h.EpisodeId, h.StartMs))));
    }

    [Fact(Timeout = 20000)]
    public async Task Cjk_text_is_found_through_the_trigram_index_even_for_two_character_words()
    {
        // Arrange
        var feed = _data.AddFeed();
        var episode = _data.AddEpisode(feed, "日本の旅");
        await _data.TranscribeAsync(episode, "今日は東京でラーメンを食べました。", "明日は大阪です。");

        // Act
        var word = _data.Search("東京");
        var longer = _data.Search("ラーメン");
        var excluded = _data.Search("は -大阪");

        // Assert
        var hit = Assert.Single(word.Results);
        Assert.Equal(0L, hit.StartMs);
        Assert.Contains("**東京**", hit.Snippet);
        Assert.Single(longer.Results);
        Assert.Equal(0L, Assert.Single(excluded.Results).StartMs);
    }

    [Fact(Timeout = 20000)]
    public async Task Reindex_rebuilds_the_segments_from_the_transcript_files()
    {
        // Arrange
        var feed = _data.AddFeed();
        var episode = _data.AddEpisode(feed, "Rebuilt");
        await _data.TranscribeAsync(episode, "Narwhals sing.");
        using (var connection = _data.Core.Database.Connect())
        using (var wipe = connection.CreateCommand())
        {
            wipe.CommandText = "DELETE FROM search_segments;";
            wipe.ExecuteNonQuery();
        }
        Assert.Empty(_data.Search("narwhals").Results);

        // Act
        var (episodes, segments, missing) = SearchIndex.Reindex(_data.Core.Database, _data.Core.Layout);

        // Assert
        Assert.Equal((1, 1L, 0), (episodes, segments, missing));
        Assert.Single(_data.Search("narwhals").Results);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(101, 0)]
    [InlineData(10, -1)]
    public void A_page_out_of_range_is_refused(int limit, int offset)
    {
        // Act
        var error = Assert.Throws<InvalidRequestException>(() => _data.Search("word", limit: limit, offset: offset));

        // Assert
        Assert.Matches("limit|offset", error.Message);
    }

    public void Dispose() => _data.Dispose();
}
