using Cast2md.Errors;

namespace Cast2md.Services;

// What a request asked for cannot be done; the API maps these to 404, 409 and 400, the CLI to exit 1.

public sealed class NotFoundException(string message) : Cast2mdException(message);

public sealed class ConflictException(string message) : Cast2mdException(message);

public sealed class InvalidRequestException(string message) : Cast2mdException(message);
