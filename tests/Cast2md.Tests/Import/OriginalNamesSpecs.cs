using Cast2md.Import;
using Npgsql;
using Xunit;

namespace Cast2md.Tests.Import;

/// <summary>The original's file names, rebuilt to find its files, and its DATABASE_URL read without ever showing the password.</summary>
public sealed class OriginalNamesSpecs
{
    [Theory]
    [InlineData("Café Crème – Folge 3", "Cafe_Creme_Folge_3")]
    [InlineData("Episode 12: What? Why/How *now*", "Episode_12_What_Why_How_now")]
    [InlineData("  __Leading and trailing.._  ", "Leading_and_trailing")]
    [InlineData("Ünïcödé Straße", "Unicode_Strae")]
    [InlineData("ﬁne ＡＢＣ ½", "fine_ABC_12")]
    [InlineData("日本語のポッドキャスト", "unnamed")]
    [InlineData("", "unnamed")]
    [InlineData("tabs\tand\nnewlines", "tabs_and_newlines")]
    public void A_title_becomes_the_name_the_original_gave_its_file(string title, string expected) =>
        Assert.Equal(expected, OriginalNames.Sanitize(title));

    [Fact]
    public void A_long_title_is_cut_at_80_characters_and_trimmed_again_at_the_cut()
    {
        var title = new string('a', 79) + " b" + new string('c', 30);

        Assert.Equal(new string('a', 79), OriginalNames.Sanitize(title));
        Assert.Equal(80, OriginalNames.Sanitize(new string('x', 200)).Length);
    }

    [Theory]
    [InlineData("https://cdn.example.test/ep1.m4a?sig=1", "m4a")]
    [InlineData("https://cdn.example.test/ep1.MP3", "mp3")]
    [InlineData("https://cdn.example.test/stream", "mp3")]
    [InlineData("https://cdn.example.test/a.opus", "opus")]
    public void The_audio_extension_is_the_originals_guess_from_the_url(string url, string expected) =>
        Assert.Equal(expected, OriginalNames.AudioExtension(url));

    [Fact]
    public void A_database_url_becomes_a_connection_string_with_its_parts_unescaped()
    {
        var builder = new NpgsqlConnectionStringBuilder(
            OriginalDatabaseUrl.ToConnectionString("postgresql://cast2md:p%40ss%3Aword@db.lan:6543/cast2md?sslmode=require")
        );

        Assert.Equal("db.lan", builder.Host);
        Assert.Equal(6543, builder.Port);
        Assert.Equal("cast2md", builder.Username);
        Assert.Equal("p@ss:word", builder.Password);
        Assert.Equal("cast2md", builder.Database);
        Assert.Equal(SslMode.Require, builder.SslMode);
    }

    [Fact]
    public void A_socket_folder_and_the_default_port_are_taken_as_libpq_takes_them()
    {
        var builder = new NpgsqlConnectionStringBuilder(
            OriginalDatabaseUrl.ToConnectionString("postgres://me@localhost/cast2md?host=/var/run/postgresql")
        );

        Assert.Equal("/var/run/postgresql", builder.Host);
        Assert.Equal(5432, builder.Port);
    }

    [Theory]
    [InlineData("postgresql://cast2md:hunter2@db:5432/cast2md", "postgresql://cast2md:***@db:5432/cast2md")]
    [InlineData("not a url:hunter2@x", "not a url:***@x")]
    [InlineData("postgresql://db:5432/cast2md", "postgresql://db:5432/cast2md")]
    public void A_password_is_never_shown(string url, string shown)
    {
        Assert.Equal(shown, OriginalDatabaseUrl.Redact(url));
        Assert.DoesNotContain("hunter2", OriginalDatabaseUrl.Describe(url), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mysql://root:hunter2@db/cast2md")]
    [InlineData("postgresql://cast2md:hunter2@db:5432")]
    [InlineData("cast2md")]
    public void Anything_but_a_postgresql_url_with_a_database_is_refused_in_our_words(string url)
    {
        var refused = Assert.Throws<Errors.Cast2mdException>(() => OriginalDatabaseUrl.ToConnectionString(url));

        Assert.Contains("is not a PostgreSQL URL", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", refused.Message, StringComparison.Ordinal);
    }
}
