using Cast2md.Search;
using Cast2md.Services;
using Xunit;

namespace Cast2md.Tests.Search;

public sealed class SearchQuerySpecs
{
    [Fact]
    public void Words_phrases_exclusions_and_prefixes_become_quoted_fts5_strings()
    {
        // Act
        var query = SearchQuery.Parse("coffee \"morning routine\" -decaf espre*");

        // Assert
        Assert.Equal("(\"coffee\" AND \"morning routine\" AND \"espre\"*) NOT (\"decaf\")", query.ToMatchExpression());
        Assert.False(query.IsCjk);
    }

    [Theory]
    [InlineData("NEAR(a b)", "\"NEAR(a\" AND \"b)\"")]
    [InlineData("title:secret", "\"title:secret\"")]
    [InlineData("^start", "\"^start\"")]
    [InlineData("a OR b AND NOT c", "\"a\" AND \"OR\" AND \"b\" AND \"AND\" AND \"NOT\" AND \"c\"")]
    [InlineData("\"unbalanced quote", "\"unbalanced quote\"")]
    [InlineData("word * ^ ( )", "\"word\"")]
    public void Fts5_syntax_in_the_query_is_searched_as_plain_text(string text, string expected)
    {
        // Act
        var expression = SearchQuery.Parse(text).ToMatchExpression();

        // Assert
        Assert.Equal(expected, expression);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("*", "no words")]
    [InlineData("\"\"", "no words")]
    [InlineData("^ ( ) :", "no words")]
    [InlineData("-only -excluded", "only excludes")]
    public void A_query_without_a_word_to_find_is_refused_with_a_sentence(string text, string reason)
    {
        // Act
        var error = Assert.Throws<InvalidRequestException>(() => SearchQuery.Parse(text));

        // Assert
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void A_ten_kilobyte_query_or_one_with_too_many_terms_is_refused()
    {
        // Act
        var huge = Assert.Throws<InvalidRequestException>(() => SearchQuery.Parse(new string('a', 10_240)));
        var many = Assert.Throws<InvalidRequestException>(() => SearchQuery.Parse(string.Join(' ', Enumerable.Range(0, 40).Select(i => "w" + i))));

        // Assert
        Assert.Contains("at most 1000", huge.Message);
        Assert.Contains("at most 32", many.Message);
    }

    [Fact]
    public void A_query_with_cjk_characters_goes_to_the_trigram_index()
    {
        // Act
        var query = SearchQuery.Parse("東京 ramen");

        // Assert
        Assert.True(query.IsCjk);
        Assert.Equal(["東京", "ramen"], query.Terms.Select(t => t.Text));
    }
}
