using Cast2md.Errors;

namespace Cast2md.Transcripts.Publisher;

/// <summary>A publisher transcript that cannot be read at all (malformed JSON).</summary>
public class PublisherTranscriptException(string message, Exception? innerException = null) : Cast2mdException(message, innerException);
