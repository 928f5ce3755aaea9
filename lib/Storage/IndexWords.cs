using System.Globalization;
using System.Text;

namespace Cast2md.Storage;

/// <summary>
/// Words as the search index's unicode61 tokenizer (diacritics removed) cuts them, near enough for what is done with
/// them here: a row's length and a phrase's occurrences for ranking, and the word-pair index. Runs of letters and
/// digits, lower case, without combining marks.
/// </summary>
public static class IndexWords
{
    /// <summary>The SQL function the search triggers call for the word-pair column; registered on every connection.</summary>
    public const string PairsFunction = "cast2md_word_pairs";

    public static string[] Of(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var tokens = new List<string>();
        var current = new StringBuilder();
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
                continue;
            if (char.IsLetterOrDigit(c))
            {
                current.Append(char.ToLowerInvariant(c));
                continue;
            }
            if (current.Length > 0)
            {
                tokens.Add(current.ToString());
                current.Clear();
            }
        }
        if (current.Length > 0)
            tokens.Add(current.ToString());
        return [.. tokens];
    }

    /// <summary>
    /// Each two neighbouring words joined by an underscore ("tell the truth" is "tell_the the_truth"), the text of the
    /// word-pair index: a phrase of n words is there a phrase of its n - 1 pairs, and a pair's doclist is as short as
    /// the rarer of its words or shorter, where the word index walks the commoner one's (all of "the").
    /// </summary>
    public static string Pairs(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return "";
        return Pairs(Of(text));
    }

    public static string Pairs(string[] words)
    {
        if (words.Length < 2)
            return "";
        var pairs = new StringBuilder();
        for (var i = 1; i < words.Length; i++)
        {
            if (i > 1)
                pairs.Append(' ');
            pairs.Append(words[i - 1]).Append('_').Append(words[i]);
        }
        return pairs.ToString();
    }
}
