namespace Cast2md.NodeAgent;

/// <summary>An <see cref="IProgress{T}"/> that runs its handler on the reporting thread (no synchronisation context hops, in order).</summary>
internal sealed class InlineProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
