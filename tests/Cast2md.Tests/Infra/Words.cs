using System.Text;

namespace Cast2md.Tests.Infra;

/// <summary>Compares transcripts by their words: lower case, punctuation and timestamps removed.</summary>
public static class Words
{
    public static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
            builder.Append(char.IsLetter(c) || c == '\'' ? c : ' ');
        return string.Join(' ', builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}
