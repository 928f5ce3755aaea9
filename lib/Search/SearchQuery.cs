using System.Globalization;
using System.Text;
using Cast2md.Services;

namespace Cast2md.Search;

/// <summary>One part of a query: a word or a phrase, to include or exclude, a prefix when it ended in <c>*</c>.</summary>
public sealed record SearchTerm(string Text, bool IsPhrase, bool IsPrefix, bool IsExcluded);

/// <summary>
/// A user's query, parsed by our own rules and never handed to FTS5 as typed: words, <c>"phrases"</c>, <c>-word</c> or
/// <c>-"phrase"</c> to exclude, <c>word*</c> for a prefix. Everything else FTS5 would read as syntax (NEAR, AND/OR/NOT,
/// column filters, <c>^</c>, parentheses) is plain text here: each term is written back as a quoted FTS5 string, so
/// the expression can only ever be "all of these, none of those".
/// </summary>
public sealed class SearchQuery
{
    /// <summary>Longer queries are refused rather than cut: a cut query would search for something the user did not type.</summary>
    public const int MaxLength = 1000;

    public const int MaxTerms = 32;

    private SearchQuery(IReadOnlyList<SearchTerm> terms, bool isCjk)
    {
        Terms = terms;
        IsCjk = isCjk;
    }

    public IReadOnlyList<SearchTerm> Terms { get; }

    /// <summary>The query holds CJK characters, which unicode61 cannot split into words: the trigram index answers it.</summary>
    public bool IsCjk { get; }

    /// <exception cref="InvalidRequestException">The query is empty, too long, has no word to include, or too many terms.</exception>
    public static SearchQuery Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new InvalidRequestException("The search query is empty; give at least one word.");
        if (text.Length > MaxLength)
            throw new InvalidRequestException($"The search query is {text.Length} characters long; at most {MaxLength} are allowed.");

        var terms = new List<SearchTerm>();
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }
            var excluded = false;
            if (text[i] == '-')
            {
                excluded = true;
                i++;
            }
            string raw;
            var phrase = false;
            if (i < text.Length && text[i] == '"')
            {
                // A phrase runs to the next quote; an unbalanced quote closes at the end of the query.
                var close = text.IndexOf('"', i + 1);
                raw = close < 0 ? text[(i + 1)..] : text[(i + 1)..close];
                i = close < 0 ? text.Length : close + 1;
                phrase = true;
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] != '"')
                    i++;
                raw = text[start..i];
            }
            var prefix = false;
            if (i < text.Length && text[i] == '*')
            {
                prefix = true;
                i++;
            }
            var trimmed = raw.Trim();
            if (trimmed.EndsWith('*'))
            {
                prefix = true;
                trimmed = trimmed.TrimEnd('*');
            }
            var clean = Clean(trimmed);
            // A term with no letter or digit (a lone *, ^, a bracket) matches nothing any tokenizer keeps: it is dropped.
            if (clean.Length == 0)
                continue;
            terms.Add(new SearchTerm(clean, phrase && clean.Contains(' '), prefix, excluded));
        }

        if (terms.Count > MaxTerms)
            throw new InvalidRequestException($"The search query has {terms.Count} terms; at most {MaxTerms} are allowed.");
        if (!terms.Any(t => !t.IsExcluded))
            throw new InvalidRequestException(
                terms.Count == 0
                    ? "The search query has no words to search for (only punctuation or operators)."
                    : "The search query only excludes words; give at least one word to find."
            );
        return new SearchQuery(terms, terms.Any(t => t.Text.Any(IsCjkChar)));
    }

    /// <summary>
    /// The FTS5 MATCH expression for the word index: each term a quoted string (quotes inside doubled), a prefix with
    /// <c>*</c> after the closing quote, included terms joined by AND and the excluded ones after one NOT.
    /// </summary>
    public string ToMatchExpression()
    {
        var included = string.Join(" AND ", Terms.Where(t => !t.IsExcluded).Select(Quote));
        var excluded = Terms.Where(t => t.IsExcluded).Select(Quote).ToList();
        return excluded.Count == 0 ? included : $"({included}) NOT ({string.Join(" OR ", excluded)})";
    }

    private static string Quote(SearchTerm term) =>
        "\"" + term.Text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" + (term.IsPrefix ? "*" : "");

    /// <summary>Control characters and quotes out, runs of white space to one space; a term without a letter or digit is empty.</summary>
    private static string Clean(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsControl(c) || c == '"')
                continue;
            if (char.IsWhiteSpace(c))
            {
                if (builder.Length > 0 && builder[^1] != ' ')
                    builder.Append(' ');
                continue;
            }
            builder.Append(c);
        }
        var result = builder.ToString().Trim();
        return result.Any(char.IsLetterOrDigit) ? result : "";
    }

    /// <summary>Han, Hiragana, Katakana, Hangul (and their compatibility forms): scripts written without spaces between words.</summary>
    internal static bool IsCjkChar(char c)
    {
        var block = CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.OtherLetter;
        return block
            && (c is >= '\u2E80' and <= '\u9FFF' or >= '\uAC00' and <= '\uD7AF' or >= '\uF900' and <= '\uFAFF' or >= '\uFF66' and <= '\uFF9F');
    }
}
