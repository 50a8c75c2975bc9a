using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using JasperFx.CommandLine;
using Lending.Api.Portfolio;
using Lending.Domain.Loans;
using Marten;
using Marten.Events.Daemon.Coordination;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Npgsql;
using Spectre.Console;

namespace Lending.Api.Benchmarks;

public sealed class BenchmarkInput : NetCoreInput
{
    [Description("Loans to generate"), FlagAlias("loans", 'n')]
    public int LoansFlag { get; set; } = 10_000;

    [Description("Months of history to generate"), FlagAlias("months", 'm')]
    public int MonthsFlag { get; set; } = 6;

    [Description("Random seed of the generated portfolio"), FlagAlias("seed", 's')]
    public int SeedFlag { get; set; } = 20260101;

    [Description("Concurrent HTTP clients of the load phase"), FlagAlias("clients", 'c')]
    public int ClientsFlag { get; set; } = 16;

    [Description("Seconds of the load phase and of each pgbench run"), FlagAlias("seconds", longAliasOnly: true)]
    public int SecondsFlag { get; set; } = 30;

    [Description("Seconds the load phase's clients run before it is measured"), FlagAlias("warm-up", longAliasOnly: true)]
    public int WarmUpFlag { get; set; } = 10;

    [Description("Business dates closed, one at a time"), FlagAlias("days", 'd')]
    public int DaysFlag { get; set; } = 5;

    [Description("Skip the rebuild of the analytics projection"),
     FlagAlias("no-rebuild", longAliasOnly: true)]
    public bool NoRebuildFlag { get; set; }

    [Description("API nodes serving the load phase (more than 1 starts the others as processes on the same database)"),
     FlagAlias("nodes", longAliasOnly: true)]
    public int NodesFlag { get; set; } = 1;

    [Description("Folder the results (Markdown, JSON, chart) are written to"), FlagAlias("output", 'o')]
    public string OutputFlag { get; set; } = "docs/benchmarks";
}

/// <summary>
/// Generates a portfolio through the domain, then measures the service against PostgreSQL's own limit on the same
/// machine: appends, close of business, REST writes and reads under concurrent load, projection catch-up and rebuild.
/// Writes <c>latest.md</c>, <c>latest.json</c> and <c>latest.png</c> to the output folder.
/// </summary>
[Description("Benchmark the service against the machine's PostgreSQL limit (generates a portfolio into a fresh database)")]
public sealed class BenchmarkCommand : JasperFxAsyncCommand<BenchmarkInput>
{
    public override async Task<bool> Execute(BenchmarkInput input)
    {
        using var host = input.BuildHost();
        var services = host.Services;
        var store = services.GetRequiredService<IDocumentStore>();
        var connectionString = services.GetRequiredService<IConfiguration>().GetConnectionString("Lending")!;
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var ct = CancellationToken.None;
        var results = new BenchmarkResults { Loans = input.LoansFlag, Months = input.MonthsFlag, Clients = input.ClientsFlag, Seconds = input.SecondsFlag,
            WarmUpSeconds = Math.Max(0, input.WarmUpFlag),
            Nodes = Math.Clamp(input.NodesFlag, 1, 8) };
        results.Machine = await Machine.DescribeAsync(connectionString, ct);

        // 1. Appends through the domain: the generator.
        AnsiConsole.MarkupLine($"[bold]1/6[/] generating {input.LoansFlag:N0} loans over {input.MonthsFlag} months through the domain");
        var generator = services.GetRequiredService<PortfolioGenerator>();
        await Statements.ResetAsync(connectionString, ct);
        var machine = await MachineLoad.StartAsync(connectionString, ct);
        var watch = Stopwatch.StartNew();
        GeneratorProgress? last = null;
        await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask("dates", maxValue: 1);
                await generator.RunAsync(new GeneratorOptions(input.LoansFlag, input.MonthsFlag, input.SeedFlag), new Progress<GeneratorProgress>(p =>
                {
                    last = p;
                    (task.MaxValue, task.Value) = (p.Days, p.DaysDone);
                    task.Description = $"{p.LoansBooked:N0} loans, {p.EventsThisRun / Math.Max(0.001, watch.Elapsed.TotalSeconds):N0} events/s";
                }), ct);
            });
        results.GeneratedEvents = last?.EventsThisRun ?? 0;
        results.GenerateSeconds = watch.Elapsed.TotalSeconds;
        results.GenerateCpu = machine.Stop();
        (results.GenerateDecideSeconds, results.GenerateSaveSeconds) = (last?.DecideSeconds ?? 0, last?.SaveSeconds ?? 0);
        results.GenerateStatements = await Statements.TopAsync(connectionString, 8, ct);

        // 2. The machine's limit for the same rows.
        AnsiConsole.MarkupLine("[bold]2/6[/] pgbench baseline: raw inserts of event-shaped rows");
        var sample = await SampleEventJson(connectionString, ct);
        (results.BaselineRowsPerSecond, results.BaselineClients) = await Baseline.MeasureAsync(connectionString, sample, Math.Min(input.SecondsFlag, 20), ct);
        AnsiConsole.MarkupLine("    and the read baseline: the whole event table read in order and deserialized");
        (results.SequentialReadEvents, results.SequentialReadSeconds) = await SequentialRead.MeasureAsync(connectionString, store, ct);

        // 3. The API on Kestrel; the async daemon catches the analytics projection up with the generated book.
        await host.StartAsync(ct);
        var address = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(10) };
        var tokens = new Tokens(http);
        AnsiConsole.MarkupLine("[bold]3/6[/] analytics projection catching up with the generated events (async daemon)");
        watch.Restart();
        machine = await MachineLoad.StartAsync(connectionString, ct);
        await WaitForProjections(http, tokens, ct);
        results.CatchUpSeconds = watch.Elapsed.TotalSeconds;
        results.CatchUpCpu = machine.Stop();

        // 4. Close of business, one business date at a time.
        AnsiConsole.MarkupLine($"[bold]4/6[/] close of business for {input.DaysFlag} business dates");
        // A date a day: the next date closes once the last one's escalation actions went out (timed on their own), as they
        // would overnight, and the REST load below finds the book as collectors do in the morning.
        var closing = new StatementProfile();
        await Statements.ResetAsync(connectionString, ct);
        for (var day = 0; day < input.DaysFlag; day++)
        {
            var before = await Statements.SnapshotAsync(connectionString, ct);
            var cpu = await MachineLoad.StartAsync(connectionString, ct);
            var closed = await CloseOneDate(http, tokens, ct) with { Cpu = cpu.Stop() };
            closing.Add(before, await Statements.SnapshotAsync(connectionString, ct));
            // The async projections stood aside while the date closed: the time they take to pass the close's last event is
            // timed beside the actions (whose own events they then follow as they come).
            var (behind, closedAt, _) = await ProjectionsLag(http, tokens, ct);
            var catchUp = Stopwatch.StartNew();
            var projections = Task.Run(async () =>
            {
                while ((await ProjectionsLag(http, tokens, ct)).Slowest < closedAt) await Task.Delay(100, ct);
                return catchUp.Elapsed.TotalSeconds;
            }, ct);
            var (waiting, seconds) = await EscalationBacklog.DrainAsync(connectionString, ct);
            results.CloseOfBusiness.Add(closed with
            {
                ActionsWaiting = waiting, ActionsSeconds = seconds, ProjectionsBehind = behind, ProjectionsSeconds = await projections,
            });
        }
        results.CloseOfBusinessStatements = closing.Top(8);

        // 5. Concurrent REST load: contacts and payments written, loans, queues and the delinquency summary read.
        AnsiConsole.MarkupLine($"[bold]5/6[/] {input.ClientsFlag} concurrent clients for {input.SecondsFlag} s on {results.Nodes} API node(s)");
        await WaitForProjections(http, tokens, ct);
        await using (var extra = await ExtraNodes.StartAsync(results.Nodes - 1, connectionString, services.GetRequiredService<IHostEnvironment>(), ct))
        {
            // Each client keeps to one node, spread evenly, as a load balancer with sticky connections would.
            var clients = new List<HttpClient> { http };
            clients.AddRange(extra.Addresses.Select(a => new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 })
                { BaseAddress = a, Timeout = http.Timeout }));
            var load = new LoadPhase(clients, tokens, store, services.GetRequiredService<TimeProvider>());
            results.Load = await load.RunAsync(input.ClientsFlag, TimeSpan.FromSeconds(input.SecondsFlag), ct, TimeSpan.FromSeconds(results.WarmUpSeconds),
                measuring: () => Statements.ResetAsync(connectionString, ct));
            results.LoadCpu = load.Cpu;
            results.LoadStatements = await Statements.TopAsync(connectionString, 8, ct);
            foreach (var client in clients.Skip(1)) client.Dispose();
        }
        results.SummaryIdle = await LoadPhase.Sequential(http, tokens, "/analytics/delinquency", 200, ct);

        // 6. Rebuild of the analytics projection from the whole event store, with the API stopped (as an operator runs it).
        await WaitForProjections(http, tokens, ct);
        results.EventsInStore = (await store.Advanced.FetchEventStoreStatistics(token: ct)).EventCount;
        await host.StopAsync(ct);
        if (!input.NoRebuildFlag) await Rebuild(services, results, ct);

        await Report(services, input, results, ct);
        return true;
    }

    private static async Task Rebuild(IServiceProvider services, BenchmarkResults results, CancellationToken ct)
    {
        AnsiConsole.MarkupLine("[bold]6/6[/] rebuilding the analytics projection (API stopped; one sequential read of the event table)");
        var connectionString = services.GetRequiredService<IConfiguration>().GetConnectionString("Lending")!;
        await Statements.ResetAsync(connectionString, ct);
        var machine = await MachineLoad.StartAsync(connectionString, ct);
        var rebuilt = await services.GetRequiredService<Analytics.AnalyticsRebuild>().RunAsync(ct);
        results.RebuildSeconds = rebuilt.Elapsed.TotalSeconds;
        results.RebuildCpu = machine.Stop();
        results.RebuildStatements = await Statements.TopAsync(connectionString, 8, ct);
    }

    private static async Task Report(IServiceProvider services, BenchmarkInput input, BenchmarkResults results, CancellationToken ct)
    {
        var font = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Setup.LendingOptions>>().Value.Documents.FontPath;
        var written = await BenchmarkReport.WriteAsync(results, input.OutputFlag, font, ct);
        AnsiConsole.MarkupLine($"Results written to [bold]{written}[/]");
        AnsiConsole.Write(new Text(await File.ReadAllTextAsync(written, ct)));
    }

    private static async Task<string> SampleEventJson(string connectionString, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct);
        // A real event of about the average size of the store's events, from a sample of about 50,000 of them (a scan of
        // millions of events would outlast the command timeout).
        await using var cmd = new NpgsqlCommand($"""
            with sample as (
              select data::text as json from {Setup.MartenSetup.EventSchema}.mt_events tablesample system (
                (select least(100, greatest(0.01, 5000000 / greatest(reltuples, 1)))::float8 from pg_class
                 where oid = '{Setup.MartenSetup.EventSchema}.mt_events'::regclass)))
            select json from sample order by abs(length(json) - (select avg(length(json)) from sample)) limit 1
            """, conn);
        return (string?)await cmd.ExecuteScalarAsync(ct) ?? """{"loanId":"00000000-0000-0000-0000-000000000000"}""";
    }

    private static async Task WaitForProjections(HttpClient http, Tokens tokens, CancellationToken ct)
    {
        while ((await ProjectionsLag(http, tokens, ct)).Behind > 0) await Task.Delay(250, ct);
    }

    /// <summary>Events the furthest-behind async projection has still to process, the newest event's sequence number, and
    /// the furthest-behind projection's.</summary>
    private static async Task<(long Behind, long Highest, long Slowest)> ProjectionsLag(HttpClient http, Tokens tokens, CancellationToken ct)
    {
        using var request = await tokens.Request(HttpMethod.Get, "/analytics/projections", "risk_analyst");
        var lag = await (await http.SendAsync(request, ct)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>(ct);
        var projections = lag.GetProperty("projections").EnumerateArray().ToList();
        var highest = lag.GetProperty("highestSequence").GetInt64();
        return (projections.Select(p => p.GetProperty("eventsBehind").GetInt64()).DefaultIfEmpty(0).Max(), highest,
            projections.Select(p => p.GetProperty("sequence").GetInt64()).DefaultIfEmpty(highest).Min());
    }

    private static async Task<CloseOfBusinessResult> CloseOneDate(HttpClient http, Tokens tokens, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        using var advance = await tokens.Request(HttpMethod.Post, "/business-date/advance", "admin", new { days = 1 });
        var accepted = await (await http.SendAsync(advance, ct)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>(ct);
        var runId = accepted.GetProperty("runId").GetGuid();
        while (true)
        {
            using var poll = await tokens.Request(HttpMethod.Get, $"/cob/runs/{runId}", "admin");
            var run = await (await http.SendAsync(poll, ct)).Content.ReadFromJsonAsync<JsonElement>(ct);
            if (run.GetProperty("status").GetString() != "running")
                return new CloseOfBusinessResult(DateOnly.Parse(run.GetProperty("businessDate").GetString()!), run.GetProperty("loansProcessed").GetInt64(),
                    watch.Elapsed.TotalSeconds, run.GetProperty("status").GetString()!);
            await Task.Delay(20, ct);
        }
    }
}
