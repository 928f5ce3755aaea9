using Cast2md.Transcripts;
using Cast2md.Transcripts.Publisher;
using Xunit;

namespace Cast2md.Tests.Transcripts;

public class PublisherTranscriptParserSpecs
{
    [Fact]
    public void I_can_parse_a_webvtt_transcript_with_speakers_tags_notes_and_cue_settings()
    {
        // Arrange
        var vtt = PublisherFixtures.Vtt;

        // Act
        var transcript = PublisherTranscriptParser.Parse(vtt, "text/vtt", "https://x.test/t.vtt");

        // Assert
        Assert.Equal("podcast2.0:vtt", transcript.Source);
        Assert.True(transcript.HasTimestamps);
        Assert.Equal(
            [
                new TranscriptSegment(11_488, 16_033, "Chris: Hello, friends, and welcome back to the show about shows."),
                new TranscriptSegment(16_033, 16_945, "Wes: My name is Wes & I <3 podcasts."),
                new TranscriptSegment(17_345, 18_303, "And an unattributed line in italics."),
                new TranscriptSegment(3_723_000, 3_725_500, "Brent: After the hour."),
            ],
            transcript.Segments
        );
    }

    [Fact]
    public void I_can_parse_a_word_level_vtt_and_get_phrases()
    {
        // Arrange: one cue per word, as some hosts publish
        var words = "This is the first sentence of a word level transcript here. Then a second one follows right after it. After a pause".Split(' ');
        var cues = new List<string> { "WEBVTT", "" };
        var t = 0;
        foreach (var word in words)
        {
            if (word == "After")
                t += 2000; // a gap of more than 1.5 s
            cues.Add($"00:00:{t / 1000:00}.{t % 1000:000} --> 00:00:{(t + 300) / 1000:00}.{(t + 300) % 1000:000}");
            cues.Add(word);
            cues.Add("");
            t += 400;
        }

        // Act
        var transcript = PublisherTranscriptParser.Parse(string.Join('\n', cues), null, "https://x.test/words.vtt");

        // Assert
        Assert.Equal(
            ["This is the first sentence of a word level transcript here.", "Then a second one follows right after it.", "After a pause"],
            transcript.Segments.Select(s => s.Text)
        );
        Assert.Equal(0, transcript.Segments[0].StartMs);
        Assert.Equal(10 * 400 + 300, transcript.Segments[0].EndMs);
        Assert.Equal(11 * 400, transcript.Segments[1].StartMs);
    }

    [Fact]
    public void I_can_merge_cues_into_phrases_by_the_upstream_rules()
    {
        // Arrange
        var longWords = string.Join(' ', Enumerable.Repeat("word", 60)); // 299 characters, no punctuation
        var cues = longWords.Split(' ').Select((w, i) => $"00:{i / 60:00}:{i % 60:00}.000 --> 00:{i / 60:00}:{i % 60:00}.500\n{w}");
        var vtt = "WEBVTT\n\n" + string.Join("\n\n", cues);

        // Act
        var transcript = PublisherTranscriptParser.Parse(vtt, "text/vtt", null);

        // Assert: a phrase closes once it has reached 200 characters
        Assert.Equal(2, transcript.Segments.Count);
        Assert.Equal(200 / 5 * 5 - 1, transcript.Segments[0].Text.Length); // 40 words, 199 characters
        Assert.Equal(40_000, transcript.Segments[1].StartMs);
    }

    [Fact]
    public void I_can_parse_an_srt_transcript()
    {
        // Arrange
        const string srt = """
            1
            00:00:01,000 --> 00:00:04,500
            <i>Welcome</i> to the show,
            {\an8}everyone.

            2
            00:00:05,000 --> 00:00:09,250
            Today we talk about subtitles and why they matter.

            3
            01:00:00,000 --> 01:00:02,000
            The end!
            """;

        // Act
        var transcript = PublisherTranscriptParser.Parse(srt, "application/x-subrip", null);

        // Assert: the first cue is under 40 characters, so by upstream's rules it runs on into the second
        Assert.Equal("podcast2.0:srt", transcript.Source);
        Assert.Equal(
            [
                new TranscriptSegment(1_000, 9_250, "Welcome to the show, everyone. Today we talk about subtitles and why they matter."),
                new TranscriptSegment(3_600_000, 3_602_000, "The end!"),
            ],
            transcript.Segments
        );
    }

    [Theory]
    [InlineData(
        """{"version":"1.0.0","segments":[{"speaker":"Ann","startTime":0.5,"endTime":2.25,"body":"Hello there, this is a long first sentence."},{"speaker":"Ben","startTime":2.5,"endTime":3,"body":"Hi."}]}"""
    )]
    [InlineData(
        """[{"speaker":"Ann","start":0.5,"end":2.25,"text":"Hello there, this is a long first sentence."},{"speaker":"Ben","start":"2.5","end":"3.0","text":"Hi."}]"""
    )]
    [InlineData(
        """{"Segments":[{"speaker":"Ann","startMs":500,"endMs":2250,"content":"Hello there, this is a long first sentence."},{"speaker":"Ben","startMs":2500,"endMs":3000,"content":"Hi."},{"startMs":4000,"body":"  "}]}"""
    )]
    public void I_can_parse_a_podcasting_2_0_json_transcript_in_its_variants(string json)
    {
        // Act
        var transcript = PublisherTranscriptParser.Parse(json, "application/json", null);

        // Assert
        Assert.Equal("podcast2.0:json", transcript.Source);
        Assert.Equal(
            [new TranscriptSegment(500, 2_250, "Ann: Hello there, this is a long first sentence."), new TranscriptSegment(2_500, 3_000, "Ben: Hi.")],
            transcript.Segments
        );
    }

    [Fact]
    public void I_can_parse_a_word_level_json_transcript_and_get_phrases_per_speaker()
    {
        // Arrange
        const string json = """
            {"segments":[
              {"speaker":"Ann","startTime":0.0,"endTime":0.3,"body":"Hello"},
              {"speaker":"Ann","startTime":0.3,"endTime":0.6,"body":"world."},
              {"speaker":"Ben","startTime":0.7,"endTime":0.9,"body":"Hi"},
              {"speaker":"Ben","startTime":0.9,"endTime":1.2,"body":"Ann."}
            ]}
            """;

        // Act
        var transcript = PublisherTranscriptParser.Parse(json, null, "https://x.test/t.json");

        // Assert
        Assert.Equal(["Ann: Hello world.", "Ben: Hi Ann."], transcript.Segments.Select(s => s.Text));
    }

    [Theory]
    [InlineData("""{"segments": [ {"startTime": 1, """, "application/json", null)]
    [InlineData("not json at all", null, "https://x.test/t.json")]
    public void I_can_try_to_parse_malformed_json_and_get_a_publisher_transcript_exception(string content, string? mimeType, string? url)
    {
        // Act
        var error = Assert.Throws<PublisherTranscriptException>(() => PublisherTranscriptParser.Parse(content, mimeType, url));

        // Assert
        Assert.Contains("JSON transcript is malformed", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<Cast2md.Errors.Cast2mdException>(error);
    }

    [Fact]
    public void I_can_parse_a_plain_text_transcript_into_paragraphs_without_timestamps()
    {
        // Arrange
        const string text = "  First paragraph,\nstill the first.\r\n\r\n\r\nSecond paragraph & more.\n   \nThird.\u0007\n";

        // Act
        var transcript = PublisherTranscriptParser.Parse(text, "text/plain", null);

        // Assert
        Assert.Equal("podcast2.0:text", transcript.Source);
        Assert.False(transcript.HasTimestamps);
        Assert.Equal(["First paragraph, still the first.", "Second paragraph & more.", "Third."], transcript.Segments.Select(s => s.Text));
        Assert.All(transcript.Segments, s => Assert.Equal((0, 0), (s.StartMs, s.EndMs)));
    }

    [Fact]
    public void I_can_parse_an_html_transcript_into_paragraphs()
    {
        // Arrange
        const string html = """
            <!DOCTYPE html>
            <html><head><title>Transcript page</title><style>p { color: red; }</style>
            <script>var x = "<p>not text</p>";</script></head>
            <body>
              <h1>Episode 12</h1>
              <!-- <p>commented out</p> -->
              <p class="speaker" title='a > b'>Ann: It&rsquo;s   <b>great</b> to be here &amp; talk.</p>
              <p>Line one<br>Line two<br/>Line three</p>
              <div>Caf&eacute; &#x1F600; &lt;tag&gt;</div>
              <script type="text/javascript">alert("no");</script>
            </body></html>
            """;

        // Act
        var transcript = PublisherTranscriptParser.Parse(html, "text/html; charset=utf-8", null);

        // Assert
        Assert.Equal("podcast2.0:html", transcript.Source);
        Assert.False(transcript.HasTimestamps);
        Assert.Equal(
            ["Episode 12", "Ann: It\u2019s great to be here & talk.", "Line one", "Line two", "Line three", "Café 😀 <tag>"],
            transcript.Segments.Select(s => s.Text)
        );
    }

    [Theory]
    [InlineData("WEBVTT\n\n00:01.000 --> 00:02.000\nHi.", null, null, "podcast2.0:vtt")]
    [InlineData("WEBVTT\n\n00:01.000 --> 00:02.000\nHi.", "text/plain", null, "podcast2.0:vtt")]
    [InlineData("1\n00:00:01,000 --> 00:00:02,000\nHi.", "application/octet-stream", null, "podcast2.0:srt")]
    [InlineData("00:00:01.000 --> 00:00:02.000\nHi.", null, null, "podcast2.0:vtt")]
    [InlineData("[{\"start\":1,\"end\":2,\"text\":\"Hi.\"}]", "text/plain", null, "podcast2.0:json")]
    [InlineData("<html><body><p>Hi.</p></body></html>", null, null, "podcast2.0:html")]
    [InlineData("<p>Hi.</p>", null, "https://x.test/t.txt", "podcast2.0:text")]
    [InlineData("[Music] Hi. [Applause]", null, null, "podcast2.0:text")]
    [InlineData("Hi.", null, "https://x.test/t.SRT?sig=1", "podcast2.0:text")]
    [InlineData("Hi.", "text/vtt", null, "podcast2.0:text")]
    [InlineData("Hi.", null, "https://x.test/t.htm", "podcast2.0:html")]
    public void I_can_parse_a_transcript_whose_format_is_found_from_type_extension_or_content(
        string content,
        string? mimeType,
        string? url,
        string source
    )
    {
        // Act
        var transcript = PublisherTranscriptParser.Parse(content, mimeType, url);

        // Assert
        Assert.Equal(source, transcript.Source);
        Assert.Contains("Hi.", transcript.Segments.Single().Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("WEBVTT\n\nNOTE nothing here\n", "text/vtt")]
    [InlineData("{\"segments\": []}", "application/json")]
    [InlineData("   \n\n  ", "text/plain")]
    [InlineData("<html><script>x()</script></html>", "text/html")]
    public void I_can_parse_a_transcript_with_no_content_and_get_no_segments(string content, string mimeType)
    {
        // Act
        var transcript = PublisherTranscriptParser.Parse(content, mimeType, null);

        // Assert
        Assert.Empty(transcript.Segments);
        Assert.StartsWith("podcast2.0:", transcript.Source, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task I_can_parse_hostile_markup_in_linear_time()
    {
        // Arrange
        await Task.Yield();
        var angles = new string('<', 2_000_000);
        var braces = "1\n00:00:01,000 --> 00:00:02,000\n" + string.Concat(Enumerable.Repeat("{\\", 500_000));
        var comments = string.Concat(Enumerable.Repeat("<!--", 500_000));

        // Act
        var fromVtt = PublisherTranscriptParser.Parse("WEBVTT\n\n00:01.000 --> 00:02.000\n" + angles, "text/vtt", null);
        var fromSrt = PublisherTranscriptParser.Parse(braces, "text/srt", null);
        var fromHtml = PublisherTranscriptParser.Parse(angles + comments, "text/html", null);

        // Assert
        Assert.Single(fromVtt.Segments);
        Assert.Single(fromSrt.Segments);
        Assert.NotNull(fromHtml);
    }
}
