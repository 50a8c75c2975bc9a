using System.Collections.Concurrent;
using System.Diagnostics;

namespace Lending.Api.Benchmarks;

/// <summary>Latency samples of one kind of request, and the share that failed.</summary>
public sealed class Latencies(string name)
{
    private readonly ConcurrentBag<double> _millis = [];
    private int _failed;
    private int _refused;

    public string Name { get; } = name;
    public int Count => _millis.Count;
    public int Failed => _failed;
    public int Refused => _refused;

    public async Task<T> Time<T>(Func<Task<(T Result, int Status)>> call)
    {
        var watch = Stopwatch.StartNew();
        var (result, status) = await call();
        _millis.Add(watch.Elapsed.TotalMilliseconds);
        if (status >= 500) Interlocked.Increment(ref _failed);
        else if (status >= 400) Interlocked.Increment(ref _refused);
        return result;
    }

    public double Percentile(double p)
    {
        var sorted = _millis.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
