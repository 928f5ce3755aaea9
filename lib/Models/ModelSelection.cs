namespace Cast2md.Models;

/// <summary>The catalogue file chosen for a model name and compute type, with a one-line notice when it is not literally what was asked for.</summary>
public sealed record ModelSelection(ModelInfo Model, string? Notice);
