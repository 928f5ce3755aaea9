using Cast2md.Errors;

namespace Cast2md.Models;

/// <summary>A model name, path or download the user can fix; the message says what and how.</summary>
public class ModelException(string message, Exception? innerException = null) : Cast2mdException(message, innerException);
