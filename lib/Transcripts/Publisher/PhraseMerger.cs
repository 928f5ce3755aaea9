using System.Text;

namespace Cast2md.Transcripts.Publisher;

/// <summary>
/// Merges word-level cues into phrases by upstream's rules (<c>src/search/parser.py:merge_word_level_segments</c>):
/// a new phrase starts after a gap of more than 1.5 s, once the phrase has reached 200 characters, once it has
/// reached 40 characters and ends in '.', '!' or '?', when both it and the next cue have 40 characters or more,
/// and when the speaker changes. Phrase-level cues therefore mostly pass through unchanged.
/// </summary>
internal static class PhraseMerger
{
    public const long PauseMs = 1500;
    public const int MinPhraseChars = 40;
    public const int MaxPhraseChars = 200;

    public static List<TranscriptSegment> Merge(IEnumerable<TimedCue> cues)
    {
        var phrases = new List<TranscriptSegment>();
        var text = new StringBuilder();
        string? speaker = null;
        long start = 0,
            end = 0;

        foreach (var cue in cues)
        {
            var cueText = cue.Text.Trim();
            if (cueText.Length == 0)
                continue;

            if (text.Length > 0)
            {
                // Upstream counts a space after every part: the joined length plus one.
                var length = text.Length + 1;
                var startNew =
                    cue.StartMs - end > PauseMs
                    || length >= MaxPhraseChars
                    || (length >= MinPhraseChars && text[^1] is '.' or '!' or '?')
                    || (length >= MinPhraseChars && cueText.Length >= MinPhraseChars)
                    || !string.Equals(cue.Speaker, speaker, StringComparison.Ordinal);
                if (startNew)
                {
                    phrases.Add(Phrase(start, end, text, speaker));
                    text.Clear();
                }
                else
                    text.Append(' ');
            }

            if (text.Length == 0)
            {
                start = cue.StartMs;
                speaker = cue.Speaker;
            }

            text.Append(cueText);
            end = Math.Max(cue.EndMs, cue.StartMs);
        }

        if (text.Length > 0)
            phrases.Add(Phrase(start, end, text, speaker));
        return phrases;
    }

    // The speaker becomes a plain "Name: " prefix, readable in every output format.
    private static TranscriptSegment Phrase(long start, long end, StringBuilder text, string? speaker) =>
        new(start, Math.Max(start, end), speaker is null ? text.ToString() : $"{speaker}: {text}");
}
