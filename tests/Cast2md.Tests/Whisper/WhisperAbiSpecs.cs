using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Cast2md.Tests.Infra;
using Cast2md.Whisper;
using Cast2md.Whisper.Native;
using Xunit;

namespace Cast2md.Tests.Whisper;

/// <summary>Our structs against the built whisper.h, and the version/defaults guard that runs at load.</summary>
public sealed class WhisperAbiSpecs
{
    [Fact]
    public void I_can_compare_every_field_of_our_structs_with_the_built_whisper_header()
    {
        // Arrange
        using var dir = TempDir.Create();
        var native = CompileAndRunProbe(dir);

        // Act
        var mismatches = new List<string>();
        foreach (var (cType, managedType, fields) in WhisperAbi.Layout)
        {
            var (cOffset, cSize) = native[(cType, "")];
            var managedSize = SizeOf(managedType);
            if (managedSize != cSize)
                mismatches.Add($"{cType}: sizeof is {cSize} in C, {managedSize} in {managedType.Name}");
            foreach (var field in fields)
            {
                var (offset, size) = native[(cType, field)];
                var managedOffset = Marshal.OffsetOf(managedType, field).ToInt32();
                var fieldSize = SizeOf(managedType.GetField(field)!.FieldType);
                if (managedOffset != offset || fieldSize != size)
                    mismatches.Add($"{cType}.{field}: C offset {offset} size {size}, managed offset {managedOffset} size {fieldSize}");
            }
        }

        // Assert
        Assert.True(mismatches.Count == 0, "Struct layout differs from whisper.h:\n" + string.Join("\n", mismatches));
    }

    [Fact]
    public void I_can_rely_on_the_layout_manifest_listing_every_field_of_our_structs_in_order()
    {
        // Arrange
        var problems = new List<string>();

        // Act
        foreach (var (cType, managedType, fields) in WhisperAbi.Layout)
        {
            var managedFields = managedType.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
                .OrderBy(f => Marshal.OffsetOf(managedType, f.Name).ToInt64())
                .Select(f => f.Name)
                .ToArray();
            if (!managedFields.SequenceEqual(fields))
                problems.Add($"{cType}: manifest [{string.Join(", ", fields)}] vs {managedType.Name} [{string.Join(", ", managedFields)}]");
        }

        // Assert
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void I_can_verify_a_library_that_reports_the_pinned_version_and_its_defaults()
    {
        // Arrange
        using var native = new FakeWhisperNative();

        // Act
        var ex = Record.Exception(() => WhisperLibrary.Verify(native));

        // Assert
        Assert.Null(ex);
        Assert.Equal("1.9.1", WhisperAbi.Version);
    }

    [Fact]
    public void I_can_try_to_use_a_library_of_another_version_and_get_both_versions_in_the_error()
    {
        // Arrange
        using var native = new FakeWhisperNative { Version = "1.8.3" };

        // Act
        var ex = Assert.Throws<WhisperAbiMismatchException>(() => WhisperLibrary.Verify(native));

        // Assert
        Assert.Equal("1.9.1", ex.ExpectedVersion);
        Assert.Equal("1.8.3", ex.ActualVersion);
        Assert.Contains("1.9.1", ex.Message);
        Assert.Contains("1.8.3", ex.Message);
    }

    [Fact]
    public unsafe void I_can_try_to_use_a_library_whose_defaults_do_not_read_right_through_our_structs_and_get_an_abi_error()
    {
        // Arrange: as if a field had been inserted before vad_params, shifting what we read there
        using var native = new FakeWhisperNative { TamperDefaults = p => p->vad_params.threshold = 0 };

        // Act
        var ex = Assert.Throws<WhisperAbiMismatchException>(() => WhisperLibrary.Verify(native));

        // Assert
        Assert.Contains("vad_params.threshold", ex.Message);
        Assert.Equal(2, native.FreedFullParams + native.FreedContextParams);
    }

    /// <summary>Size as C sees it: enums by their underlying type, everything else blittable.</summary>
    private static int SizeOf(Type type) =>
        type.IsEnum ? Marshal.SizeOf(Enum.GetUnderlyingType(type)) : RuntimeHelpers.SizeOf(type.TypeHandle);

    /// <summary>Builds a C program from <see cref="WhisperAbi.Layout"/> against .native/include and returns its sizeof/offsetof table.</summary>
    private static Dictionary<(string, string), (int Offset, int Size)> CompileAndRunProbe(TempDir dir)
    {
        var include = Path.Combine(Paths.NativeDir, "include");
        Assert.True(File.Exists(Path.Combine(include, "whisper.h")), $"whisper.h not found in {include}: run `make setup` (native/build-whisper.sh).");

        var c = new StringBuilder();
        c.AppendLine("#include <stdio.h>\n#include <stddef.h>\n#include \"whisper.h\"\nint main(void) {");
        foreach (var (cType, _, fields) in WhisperAbi.Layout)
        {
            // "struct whisper_full_params.greedy" is the anonymous struct behind that member.
            var dot = cType.IndexOf('.');
            var (outer, prefix) = dot < 0 ? (cType, "") : (cType[..dot], cType[(dot + 1)..] + ".");
            var baseOffset = dot < 0 ? "0" : $"offsetof({outer}, {prefix.TrimEnd('.')})";
            var size = dot < 0 ? $"sizeof({outer})" : $"sizeof((({outer} *)0)->{prefix.TrimEnd('.')})";
            c.AppendLine($"  printf(\"%s|%s|%zu|%zu\\n\", \"{cType}\", \"\", (size_t)0, {size});");
            foreach (var field in fields)
                c.AppendLine($"  printf(\"%s|%s|%zu|%zu\\n\", \"{cType}\", \"{field}\", offsetof({outer}, {prefix}{field}) - {baseOffset}, sizeof((({outer} *)0)->{prefix}{field}));");
        }
        c.AppendLine("  return 0;\n}");
        var source = dir.Combine("probe.c");
        var exe = dir.Combine("probe");
        File.WriteAllText(source, c.ToString());

        var compiler = Environment.GetEnvironmentVariable("CC") is { Length: > 0 } cc ? cc : "cc";
        Run(compiler, ["-std=c11", "-I", include, source, "-o", exe], "compiling the layout probe (needs a C compiler: build-essential)");
        var output = Run(exe, [], "running the layout probe");

        var table = new Dictionary<(string, string), (int, int)>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('|');
            table[(parts[0], parts[1])] = (int.Parse(parts[2]), int.Parse(parts[3]));
        }
        return table;
    }

    private static string Run(string fileName, string[] arguments, string what)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{what} failed ({fileName} exited {process.ExitCode}):\n{stderr.Result}");
        return stdout;
    }
}
