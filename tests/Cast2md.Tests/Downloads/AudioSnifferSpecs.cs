using Cast2md.Downloads;
using Cast2md.Tests.Infra;
using Xunit;

namespace Cast2md.Tests.Downloads;

public class AudioSnifferSpecs
{
    [Theory]
    [InlineData("49443304", AudioFormat.Mp3)] // ID3
    [InlineData("FFFB9064", AudioFormat.Mp3)] // MPEG-1 layer III frame
    [InlineData("FFF35064", AudioFormat.Mp3)] // MPEG-2 layer III frame
    [InlineData("FFF15080", AudioFormat.Aac)] // ADTS, MPEG-4
    [InlineData("FFF95080", AudioFormat.Aac)] // ADTS, MPEG-2
    [InlineData("0000002066747970", AudioFormat.Mp4)] // ....ftyp
    [InlineData("4F67675300", AudioFormat.Ogg)] // OggS
    [InlineData("52494646245A010057415645", AudioFormat.Wav)] // RIFF....WAVE
    [InlineData("664C614300", AudioFormat.Flac)] // fLaC
    [InlineData("1A45DFA3A3", AudioFormat.Matroska)] // EBML
    public void I_can_recognise_audio_from_its_first_bytes(string hex, AudioFormat expected)
    {
        // Arrange
        var head = Convert.FromHexString(hex);

        // Act
        var format = AudioSniffer.Detect(head);

        // Assert
        Assert.Equal(expected, format);
    }

    [Theory]
    [InlineData("<!DOCTYPE html>")]
    [InlineData("<?xml version=\"1.0\"?>")]
    [InlineData("{\"error\":\"gone\"}")]
    [InlineData("RIFF\u0000\u0000\u0000\u0000AVI LIST")]
    [InlineData("")]
    public void I_can_tell_that_text_and_other_files_are_not_audio(string start)
    {
        // Arrange
        var head = System.Text.Encoding.Latin1.GetBytes(start);

        // Act
        var format = AudioSniffer.Detect(head);
        var problem = AudioSniffer.Problem(head, "text/html");

        // Assert
        Assert.Null(format);
        Assert.StartsWith("not audio: the server sent", problem);
    }

    [Fact]
    public void I_can_recognise_the_shared_test_recordings()
    {
        // Arrange
        var mp3 = File.ReadAllBytes(Paths.JfkMp3)[..AudioSniffer.HeadLength];
        var wav = File.ReadAllBytes(Paths.JfkWav)[..AudioSniffer.HeadLength];

        // Act
        var formats = new[] { AudioSniffer.Detect(mp3), AudioSniffer.Detect(wav) };

        // Assert
        Assert.Equal([AudioFormat.Mp3, AudioFormat.Wav], formats);
    }
}
