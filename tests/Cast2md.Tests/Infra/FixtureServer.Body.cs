namespace Cast2md.Tests.Infra;

/// <summary>What a <see cref="FixtureResponse"/> sends: a length and a way to open a seekable stream over it (so Range works and nothing large is held in memory).</summary>
public sealed class FixtureBody
{
    private readonly Func<Stream> _open;

    private FixtureBody(long length, Func<Stream> open)
    {
        Length = length;
        _open = open;
    }

    public long Length { get; }

    public Stream Open() => _open();

    public static FixtureBody Empty { get; } = Bytes([]);

    public static FixtureBody Bytes(byte[] bytes) => new(bytes.Length, () => new MemoryStream(bytes, writable: false));

    public static FixtureBody File(string path) => new(new FileInfo(path).Length, () => System.IO.File.OpenRead(path));

    /// <summary><paramref name="length"/> bytes made up on the fly: <paramref name="prefix"/> (e.g. "ID3" to look like audio), then a repeating pattern.</summary>
    public static FixtureBody Generated(long length, byte[]? prefix = null) => new(length, () => new GeneratedStream(length, prefix ?? []));

    /// <summary>The byte <see cref="Generated"/> sends at <paramref name="position"/> (after the prefix).</summary>
    public static byte GeneratedByteAt(long position) => (byte)(position % 251);

    private sealed class GeneratedStream(long length, byte[] prefix) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get; set; }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, length - Position);
            for (var i = 0; i < n; i++, Position++)
                buffer[i] = Position < prefix.Length ? prefix[Position] : GeneratedByteAt(Position);
            return Math.Max(n, 0);
        }

        public override long Seek(long offset, SeekOrigin origin) =>
            Position = origin switch
            {
                SeekOrigin.Begin => offset,
                SeekOrigin.Current => Position + offset,
                _ => length + offset,
            };

        public override void Flush() { }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
