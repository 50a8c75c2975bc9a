using Lending.Domain.Loans;
using Marten;

namespace Lending.Api.Benchmarks;

/// <summary>
/// Concurrent clients, each in a loop until the deadline: collectors record contacts on their own delinquent loans,
/// supervisors record payments, and reads of a loan, a collector's queue and the delinquency summary go on meanwhile.
/// </summary>
public sealed class LoadPhase(IReadOnlyList<HttpClient> nodes, Tokens tokens, IDocumentStore store, TimeProvider clock)
{
    /// <summary>Where the cores went while the clients ran (after <see cref="RunAsync"/>).</summary>
    public CpuShare? Cpu { get; private set; }

    public static readonly string[] Kinds = ["POST contact", "POST payment", "GET loan", "GET queue", "GET delinquency summary"];

    /// <param name="warmUp">Time the same clients run first, not measured: the endpoints' first calls (their generated
    /// code compiled, their methods jitted and tiered up) are a start's cost, not the service's steady pace.</param>
    /// <param name="measuring">Called after the warm-up, just before the measured run (to reset what counts it).</param>
    public async Task<IReadOnlyList<LoadResult>> RunAsync(int clients, TimeSpan duration, CancellationToken ct, TimeSpan warmUp = default,
        Func<Task>? measuring = null)
    {
        await using var session = store.QuerySession();
        // The warm-up's calls go to other loans than the measured run's: the conduct guard refuses calls to a borrower
        // contacted too often, and the measured run would find more of its calls refused.
        var assigned = (await session.Query<Loan>().Where(l => l.Collections.Assignment != null && l.Status == LoanStatus.Overdue).Take(6_000).ToListAsync(ct))
            .Select(l => (l.Id, Collector: l.AssignedTo!, l.Borrower.TimeZone)).ToArray();
        var worked = assigned.Take(5_000).ToArray();
        var warmUpWorked = assigned.Length > 5_000 ? assigned[5_000..] : worked;
        var open = (await session.Query<Loan>().Where(l => l.Status == LoanStatus.Active || l.Status == LoanStatus.Overdue).Take(20_000).ToListAsync(ct))
            .Select(l => l.Id).ToArray();
        var collectors = worked.Select(w => w.Collector).Distinct().ToArray();
        // Calls are recorded after they happen: yesterday by the service's clock.
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (warmUp > TimeSpan.Zero) await Drive(warmUp, warmUpWorked, Kinds.ToDictionary(k => k, k => new Latencies(k)), seed: clients);
        if (measuring is not null) await measuring();
        var latencies = Kinds.ToDictionary(k => k, k => new Latencies(k));
        MachineLoad machine;
        await using (var connection = store.Storage.Database.CreateConnection())
        {
            await connection.OpenAsync(ct);
            machine = await MachineLoad.StartAsync(connection, ct);
        }
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        await Drive(duration, worked, latencies, seed: 0);
        var seconds = elapsed.Elapsed.TotalSeconds;
        Cpu = machine.Stop();
        return [.. latencies.Values.Select(l => new LoadResult(l.Name, l.Count, l.Count / seconds, l.Percentile(0.5), l.Percentile(0.99), l.Refused, l.Failed))];

        Task Drive(TimeSpan duration, (Guid Id, string Collector, string TimeZone)[] worked, Dictionary<string, Latencies> latencies, int seed) => Task.WhenAll(Enumerable.Range(0, clients).Select(async client =>
        {
            var random = new Random(seed + client);
            var http = nodes[client % nodes.Count];
            var elapsed = System.Diagnostics.Stopwatch.StartNew();
            while (elapsed.Elapsed < duration)
            {
                var pick = random.Next(100);
                var kind = pick < 35 ? Kinds[0] : pick < 55 ? Kinds[1] : pick < 75 ? Kinds[2] : pick < 90 ? Kinds[3] : Kinds[4];
                if (kind == Kinds[0] && worked.Length == 0) kind = Kinds[2];
                await latencies[kind].Time(async () =>
                {
                    using var request = kind switch
                    {
                        "POST contact" => await Contact(worked[random.Next(worked.Length)], today, random),
                        "POST payment" => await tokens.Request(HttpMethod.Post, $"/loans/{open[random.Next(open.Length)]}/payments", "supervisor",
                            new { amount = 10.00m, reference = $"bench-{client}-{Guid.NewGuid():N}" }),
                        "GET loan" => await tokens.Request(HttpMethod.Get, $"/loans/{open[random.Next(open.Length)]}", "supervisor"),
                        "GET queue" => await tokens.Request(HttpMethod.Get, $"/collectors/{collectors[random.Next(collectors.Length)]}/queue", "supervisor"),
                        _ => await tokens.Request(HttpMethod.Get, "/analytics/delinquency", "risk_analyst"),
                    };
                    using var response = await http.SendAsync(request, ct);
                    await response.Content.LoadIntoBufferAsync(ct);
                    return (0, (int)response.StatusCode);
                });
            }
        }));
    }

    /// <summary>A call by the collector the loan is assigned to, yesterday during the borrower's daytime (the conduct guard may refuse it).</summary>
    private Task<HttpRequestMessage> Contact((Guid Id, string Collector, string TimeZone) loan, DateOnly today, Random random)
    {
        var local = today.AddDays(-1).ToDateTime(new TimeOnly(9 + random.Next(10), random.Next(60)));
        var offset = TimeZoneInfo.FindSystemTimeZoneById(loan.TimeZone).GetUtcOffset(local);
        return tokens.Request(HttpMethod.Post, $"/loans/{loan.Id}/contacts", "collector", new
        {
            channel = "phone", direction = "outbound", party = "borrower", outcome = random.Next(2) == 0 ? "no_answer" : "right_party_contact",
            occurredAt = new DateTimeOffset(local, offset), summary = "Benchmark call",
        }, loan.Collector);
    }

    /// <summary>One client, one request after another: the latency of a read with nothing else going on.</summary>
    public static async Task<LoadResult> Sequential(HttpClient http, Tokens tokens, string url, int count, CancellationToken ct)
    {
        var latencies = new Latencies($"GET {url} (idle)");
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
            await latencies.Time(async () =>
            {
                using var request = await tokens.Request(HttpMethod.Get, url, "risk_analyst");
                using var response = await http.SendAsync(request, ct);
                await response.Content.LoadIntoBufferAsync(ct);
                return (0, (int)response.StatusCode);
            });
        return new LoadResult(latencies.Name, count, count / elapsed.Elapsed.TotalSeconds, latencies.Percentile(0.5),
            latencies.Percentile(0.99), latencies.Refused, latencies.Failed);
    }
}
