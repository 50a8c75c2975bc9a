using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Lending.Api.Benchmarks;

/// <summary>
/// More API nodes on the benchmark's database: each is this same service in its own process, as production runs it
/// (Wolverine Balanced durability, Marten's daemon HotCold), with its own Kestrel port. Stopped when disposed.
/// </summary>
public sealed class ExtraNodes : IAsyncDisposable
{
    private readonly List<Process> _processes = [];
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _errors = new();

    public IReadOnlyList<Uri> Addresses { get; private set; } = [];

    public static async Task<ExtraNodes> StartAsync(int count, string connectionString, IHostEnvironment environment, CancellationToken ct)
    {
        var nodes = new ExtraNodes();
        try
        {
            await nodes.Start(count, connectionString, environment, ct);
            return nodes;
        }
        catch
        {
            await nodes.DisposeAsync(); // none of them outlives a failed start
            throw;
        }
    }

    private async Task Start(int count, string connectionString, IHostEnvironment environment, CancellationToken ct)
    {
        var addresses = new List<Uri>();
        for (var i = 0; i < count; i++)
        {
            var address = new Uri($"http://127.0.0.1:{FreePort()}");
            var start = new ProcessStartInfo("dotnet", [typeof(Program).Assembly.Location])
            {
                UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
                Environment =
                {
                    ["ConnectionStrings__Lending"] = connectionString, ["ASPNETCORE_URLS"] = address.ToString(),
                    ["ASPNETCORE_ENVIRONMENT"] = environment.EnvironmentName, ["ASPNETCORE_CONTENTROOT"] = environment.ContentRootPath,
                    ["Lending__Demo__Seed"] = "false", ["Serilog__MinimumLevel__Default"] = "Warning",
                },
            };
            var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start another API node.");
            _processes.Add(process);
            // Drained so a chatty node never blocks on a full pipe; the last lines of its errors kept to explain a failure.
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, line) =>
            {
                if (line.Data is null) return;
                _errors.Enqueue(line.Data);
                while (_errors.Count > 40) _errors.TryDequeue(out string? _);
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            addresses.Add(address);
        }
        Addresses = addresses;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        for (var i = 0; i < addresses.Count; i++)
            while (true)
            {
                if (_processes[i].HasExited)
                    throw new InvalidOperationException($"API node {addresses[i]} exited ({_processes[i].ExitCode}):\n{string.Join('\n', _errors)}");
                try
                {
                    using var response = await http.GetAsync(new Uri(addresses[i], "/health/ready"), ct);
                    if (response.StatusCode == HttpStatusCode.OK) break;
                }
                catch (HttpRequestException) { }
                catch (TaskCanceledException) when (!ct.IsCancellationRequested) { }
                if (deadline.Elapsed > TimeSpan.FromMinutes(3))
                    throw new TimeoutException($"API node {addresses[i]} did not become ready:\n{string.Join('\n', _errors)}");
                await Task.Delay(500, ct);
            }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            // Asked to stop first (SIGTERM), so the node releases its durable messages and its locks as a deployment would.
            if (!process.HasExited)
                using (var term = Process.Start("kill", ["-TERM", process.Id.ToString()])) await term!.WaitForExitAsync();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try { await process.WaitForExitAsync(grace.Token); }
            catch (OperationCanceledException) { process.Kill(entireProcessTree: true); await process.WaitForExitAsync(); }
            process.Dispose();
        }
    }
}
