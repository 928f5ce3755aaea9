namespace Cast2md.Models;

public static partial class ModelCatalog
{
    // The files whisper.cpp 1.9.1's models/download-ggml-model.sh offers, plus tiny.en-q8_0 (published on the same
    // repository; its sha256 is recorded in ../shared/models/SOURCE.md). Checksums:
    //  - sha256 (and exact size) where we know the published file's value: tiny, tiny.en, tiny-q8_0, tiny.en-q8_0;
    //  - otherwise whisper.cpp's published SHA-1 from models/README.md ("Available models");
    //  - otherwise none: such a download is checked for completeness against the server's size only.
    private static readonly ModelInfo[] Entries =
    [
        Entry("tiny", 77_691_713, "be07e048e1e599ad46341c8d2a135645097a538221678b7acdd1b1919c6e1b21", "bd577a113a864445d4c299885e0cb97d4ba92b5f"),
        Entry("tiny.en", 77_704_715, "921e4cf8686fdd993dcd081a5da5b6c365bfde1162e72b08d75ac75289920b1f", "c78c86eb1a8faa21b369bcd33207cc90d64ae9df"),
        Entry("tiny-q5_1"),
        Entry("tiny.en-q5_1"),
        Entry("tiny-q8_0", 43_537_433, "c2085835d3f50733e2ff6e4b41ae8a2b8d8110461e18821b09a15c40c42d1cca"),
        Entry("tiny.en-q8_0", 43_550_795, "5bc2b3860aa151a4c6e7bb095e1fcce7cf12c7b020ca08dcec0c6d018bb7dd94"),
        Entry("base", sha1: "465707469ff3a37a2b9b8d8f89f2f99de7299dac"),
        Entry("base.en", sha1: "137c40403d78fd54d454da0f9bd998f78703390c"),
        Entry("base-q5_1"),
        Entry("base.en-q5_1"),
        Entry("base-q8_0"),
        Entry("small", sha1: "55356645c2b361a969dfd0ef2c5a50d530afd8d5"),
        Entry("small.en", sha1: "db8a495a91d927739e50b3fc1cc4c6b8f6c2d022"),
        Entry("small.en-tdrz", sha1: "b6c6e7e89af1a35c08e6de56b66ca6a02a2fdfa1"),
        Entry("small-q5_1"),
        Entry("small.en-q5_1"),
        Entry("small-q8_0"),
        Entry("medium", sha1: "fd9727b6e1217c2f614f9b698455c4ffd82463b4"),
        Entry("medium.en", sha1: "8c30f0e44ce9560643ebd10bbe50cd20eafd3723"),
        Entry("medium-q5_0"),
        Entry("medium.en-q5_0"),
        Entry("medium-q8_0"),
        Entry("large-v1", sha1: "b1caaf735c4cc1429223d5a74f0f4d0b9b59a299"),
        Entry("large-v2", sha1: "0f4c8e34f21cf1a914c59d8b3ce882345ad349d6"),
        Entry("large-v2-q5_0", sha1: "00e39f2196344e901b3a2bd5814807a769bd1630"),
        Entry("large-v2-q8_0"),
        Entry("large-v3", sha1: "ad82bf6a9043ceed055076d0fd39f5f186ff8062"),
        Entry("large-v3-q5_0", sha1: "e6e2ed78495d403bef4b7cff42ef4aaadcfea8de"),
        Entry("large-v3-turbo", sha1: "4af2b29d7ec73d781377bfd1758ca957a807e941"),
        Entry("large-v3-turbo-q5_0", sha1: "e050f7970618a659205450ad97eb95a18d69c9ee"),
        Entry("large-v3-turbo-q8_0"),
    ];

    // Kept in this file, after Entries: static initialisers of a partial class run in file order only within one file.
    private static readonly Dictionary<string, ModelInfo> ByName = Entries.ToDictionary(e => e.Name, StringComparer.OrdinalIgnoreCase);

    private static readonly Dictionary<string, ModelInfo> ByFileName = Entries.ToDictionary(e => e.FileName, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every file in the catalogue, in whisper.cpp's order.</summary>
    public static IReadOnlyList<ModelInfo> All { get; } = Array.AsReadOnly(Entries);

    /// <summary>The models without a quantisation suffix (tiny … large-v3-turbo): the names that take a compute type.</summary>
    public static IReadOnlyList<string> BaseNames { get; } = Entries.Where(e => e.Quantization is null).Select(e => e.Name).ToArray();

    /// <summary>small.en-tdrz is not on ggerganov/whisper.cpp; download-ggml-model.sh fetches it from here.</summary>
    internal static Uri TinydiarizeBaseUrl { get; } = new("https://huggingface.co/akashmjn/tinydiarize-whisper.cpp/resolve/main");

    private static ModelInfo Entry(string name, long? size = null, string? sha256 = null, string? sha1 = null) =>
        new(name, $"ggml-{name}.bin", size, sha256, sha1);
}
