using System.Text;
using Cast2md.Files;
using Xunit;

namespace Cast2md.Tests.Files;

public sealed class FileNameSpecs
{
    [Theory]
    [InlineData("Größenwahn & Übermut: Folge 1", "Größenwahn_&_Übermut_Folge_1")]
    [InlineData("東京の夜 第3回", "東京の夜_第3回")]
    [InlineData("بودكاست عربي", "بودكاست_عربي")]
    [InlineData("Ça va? Très bien!", "Ça_va_Très_bien!")]
    [InlineData("Rocket 🚀 Launch 👩‍🚀", "Rocket_🚀_Launch_👩‍🚀")]
    public void I_can_sanitize_a_title_in_any_script_and_keep_its_letters(string title, string expected)
    {
        // Act
        var name = FileNames.Sanitize(title, 200);

        // Assert
        Assert.Equal(expected, name);
    }

    [Fact]
    public void I_can_sanitize_a_decomposed_title_and_get_the_composed_form()
    {
        // Arrange: "Müller" with U+0308 COMBINING DIAERESIS, as macOS file names spell it.
        var decomposed = "Mu\u0308ller";

        // Act
        var name = FileNames.Sanitize(decomposed);

        // Assert
        Assert.Equal("M\u00FCller", name);
    }

    [Theory]
    [InlineData("../../etc/passwd", "etc_passwd")]
    [InlineData("..", "unnamed")]
    [InlineData(".", "unnamed")]
    [InlineData("...hidden...", "hidden")]
    [InlineData(@"C:\Windows\System32", "C_Windows_System32")]
    [InlineData("a<b>c:d\"e/f\\g|h?i*j", "a_b_c_d_e_f_g_h_i_j")]
    [InlineData("  __ spaced   out __  ", "spaced_out")]
    [InlineData("tab\tnew\nline\r\0nul\u0007bell\u007Fdel\u0085nel", "tab_new_line_nul_bell_del_nel")]
    [InlineData("evil\u202Egnp.exe", "evilgnp.exe")]
    public void I_can_sanitize_a_hostile_name_and_get_a_single_safe_component(string input, string expected)
    {
        // Act
        var name = FileNames.Sanitize(input);

        // Assert
        Assert.Equal(expected, name);
        Assert.DoesNotContain(name, c => c is '/' or '\\' or ':' or '<' or '>' or '"' or '|' or '?' or '*' || char.IsControl(c));
    }

    [Theory]
    [InlineData("CON", "CON_")]
    [InlineData("con", "con_")]
    [InlineData("aux.mp3", "aux_.mp3")]
    [InlineData("NUL", "NUL_")]
    [InlineData("com1", "com1_")]
    [InlineData("LPT9.tar.gz", "LPT9_.tar.gz")]
    [InlineData("Con Air", "Con_Air")]
    [InlineData("CONSOLE", "CONSOLE")]
    public void I_can_sanitize_a_windows_device_name_and_get_a_name_windows_accepts(string input, string expected)
    {
        // Act
        var name = FileNames.Sanitize(input);

        // Assert
        Assert.Equal(expected, name);
        Assert.False(FileNames.IsReserved(name));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    [InlineData("___...___")]
    [InlineData("???")]
    [InlineData("\u200E\u200F")]
    public void I_can_sanitize_an_empty_name_and_get_unnamed(string? input)
    {
        // Act
        var name = FileNames.Sanitize(input);

        // Assert
        Assert.Equal("unnamed", name);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("ü")]
    [InlineData("東")]
    [InlineData("🚀")]
    [InlineData("👩‍🚀")]
    public void I_can_sanitize_a_500_character_title_and_stay_within_the_byte_limit_on_a_character_boundary(string unit)
    {
        // Arrange
        var title = string.Concat(Enumerable.Repeat(unit, 500));

        // Act
        var name = FileNames.Sanitize(title, 80);

        // Assert
        var bytes = Encoding.UTF8.GetByteCount(name);
        Assert.InRange(bytes, 80 - Encoding.UTF8.GetByteCount(unit) + 1, 80);
        Assert.Equal(name.Length / unit.Length, name.Split(unit).Length - 1);
        Assert.Equal(name, Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(name)));
    }

    [Fact]
    public void I_can_sanitize_a_long_title_whose_cut_falls_on_a_separator_and_get_no_trailing_underscore()
    {
        // Arrange: byte 80 falls right after the space of "...aaaa bbbb".
        var title = new string('a', 79) + " " + new string('b', 40);

        // Act
        var name = FileNames.Sanitize(title, 80);

        // Assert
        Assert.Equal(new string('a', 79), name);
    }

    [Fact]
    public void I_can_not_sanitize_with_a_limit_too_small_for_a_safe_name()
    {
        // Act & Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => FileNames.Sanitize("title", 3));
    }
}
