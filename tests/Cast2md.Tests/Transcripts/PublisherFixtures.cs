namespace Cast2md.Tests.Transcripts;

/// <summary>Publisher transcripts as hosts publish them.</summary>
internal static class PublisherFixtures
{
    public const string Vtt = """
        WEBVTT Kind: captions; Language: en

        STYLE
        ::cue { color: yellow; }

        NOTE This transcript was produced
        by a human.

        intro-1
        00:00:11.488 --> 00:00:16.033 align:start position:10%
        <v Chris>Hello, friends, and welcome back
        to the show about shows.</v>

        00:00:16.033 --> 00:00:16.945
        <v.loud Wes>My name is Wes &amp; I &lt;3 podcasts.

        00:17.345 --> 00:18.303
        And an <i>unattributed</i> line in <c.yellow>italics</c>.

        01:02:03.000 --> 01:02:05.500
        <v Brent>After the hour.
        """;
}
