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

    public IReadOnlyList<Uri> Addresses { get; private set; } = [];

    public static async Task<ExtraNodes> StartAsync(int count, string connectionString, IHostEnvironment environment, CancellationToken ct)
    {
        var nodes = new ExtraNodes();
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
            // Drained so a chatty node never blocks on a full pipe.
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            nodes._processes.Add(process);
            addresses.Add(address);
        }
        nodes.Addresses = addresses;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        foreach (var address in addresses)
            while (true)
            {
                try
                {
                    if ((await http.GetAsync(new Uri(address, "/health/ready"), ct)).StatusCode == HttpStatusCode.OK) break;
                }
                catch (HttpRequestException) { }
                catch (TaskCanceledException) when (!ct.IsCancellationRequested) { }
                if (deadline.Elapsed > TimeSpan.FromMinutes(3)) throw new TimeoutException($"API node {address} did not become ready.");
                await Task.Delay(500, ct);
            }
        return nodes;
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
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }
}
