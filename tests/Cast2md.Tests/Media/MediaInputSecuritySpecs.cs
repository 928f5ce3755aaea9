using System.Text;
using Cast2md.Media;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.Media;

/// <summary>"Audio" that is really a playlist must not make ffmpeg open the other files it names.</summary>
public sealed class MediaInputSecuritySpecs
{
    /// <summary>An ID3v2 header (size 0) followed by <paramref name="text"/>: what passes a sniffer that trusts "ID3".</summary>
    private static byte[] Id3Then(string text) => [.. "ID3"u8, 4, 0, 0, 0, 0, 0, 0, .. Encoding.UTF8.GetBytes(text)];

    private static string HlsPointingAt(string file) => $"#EXTM3U\n#EXT-X-TARGETDURATION:11\n#EXTINF:11.0,\nfile:{file}\n#EXT-X-ENDLIST\n";

    [Fact(Timeout = 30000)]
    public async Task An_id3_tagged_hls_playlist_is_refused_as_not_audio_and_no_other_file_is_decoded()
    {
        // Arrange: 150 bytes that name another media file on this disk
        using var dir = TempDir.Create();
        var path = dir.Combine("episode.mp3");
        await File.WriteAllBytesAsync(path, Id3Then(HlsPointingAt(Path.GetFullPath(Paths.JfkWav))));
        var decoder = TestAudio.RealDecoder();

        // Act
        var ex = await Assert.ThrowsAsync<Cast2md.Media.AudioDecodeException>(() => decoder.DecodeAllAsync(path));
        var duration = await decoder.ProbeDurationAsync(path);

        // Assert
        Assert.Contains("not an audio file", ex.Message);
        Assert.Contains("HLS playlist", ex.Message);
        Assert.Null(duration);
    }

    [Theory]
    [InlineData("#EXTM3U\n#EXTINF:1,\nfile:/etc/hostname\n", "HLS")]
    [InlineData("\uFEFF  #EXTM3U\n", "HLS")]
    [InlineData("<?xml version=\"1.0\"?><MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\"></MPD>", "XML")]
    [InlineData("<MPD></MPD>", "XML")]
    [InlineData("ffconcat version 1.0\nfile /etc/hostname\n", "ffconcat")]
    public void A_playlist_or_file_list_is_refused_with_or_without_an_id3_tag(string text, string kind)
    {
        // Arrange
        using var dir = TempDir.Create();
        var bare = dir.Combine("bare.mp3");
        var tagged = dir.Combine("tagged.mp3");
        File.WriteAllText(bare, text);
        File.WriteAllBytes(tagged, Id3Then(text));

        // Act
        var bareError = Assert.Throws<Cast2md.Media.AudioDecodeException>(() => MediaInput.Demuxer(bare));
        var taggedError = Assert.Throws<Cast2md.Media.AudioDecodeException>(() => MediaInput.Demuxer(tagged));

        // Assert
        Assert.Contains(kind, bareError.Message);
        Assert.Contains(kind, taggedError.Message);
    }

    [Fact(Timeout = 30000)]
    public async Task Real_audio_is_decoded_with_its_sniffed_format_forced_and_only_local_protocols()
    {
        // Arrange
        using var dir = TempDir.Create();
        var m4a = await TestAudio.ToneAsync(dir, "tone.m4a", 1, "-c:a", "aac");
        var flac = await TestAudio.ToneAsync(dir, "tone.flac", 1);
        var mp3 = Paths.JfkMp3;

        // Act
        var formats = new string?[] { MediaInput.Demuxer(m4a), MediaInput.Demuxer(flac), MediaInput.Demuxer(mp3), MediaInput.Demuxer(Paths.JfkWav) };
        var arguments = AudioDecoder.DecodeArguments("/x/a.mp3", "mp3");
        var chunks = await TestAudio.RealDecoder().DecodeAllAsync(mp3);

        // Assert
        Assert.Equal("mov flac mp3 wav", string.Join(" ", formats));
        Assert.Equal(["-protocol_whitelist", "file,pipe", "-f", "mp3", "-i", "/x/a.mp3"], arguments.Skip(4).Take(6));
        Assert.InRange(chunks.Sum(c => c.Samples.Length), 16000 * 10, 16000 * 12);
    }
}
