namespace Cast2md.Models;

/// <summary>A .bin file in the models directory; <see cref="CatalogEntry"/> is null for a file the catalogue does not know.</summary>
public sealed record InstalledModel(string FileName, string Path, long SizeBytes, ModelInfo? CatalogEntry);
