using System.Text.Json;
using Lending.Api.Auth;
using Lending.Api.Tests.Infrastructure;
using Marten.Events.Daemon.Coordination;
using Microsoft.Extensions.DependencyInjection;

namespace Lending.Api.Tests.Analytics;

public class PortfolioAnalyticsTests(AppFixture app) : AnalyticsTest(app)
{
    [Fact]
    public async Task Roll_rates_between_month_ends_follow_each_loans_own_state_and_the_cure_rate()
    {
        await BuildBook();

        foreach (var (from, to) in new[] { ("2026-01", "2026-02"), ("2026-02", "2026-03"), ("2026-03", "2026-04"), ("2026-02", "2026-04") })
        {
            var matrix = await Analyst($"/analytics/roll-rates?from={from}&to={to}");
            var expected = await Transitions(MonthEnd(from), MonthEnd(to));
            foreach (var row in matrix.GetProperty("rows").EnumerateArray())
            foreach (var cell in row.GetProperty("to").EnumerateArray())
            {
                var moved = expected.Where(t => t.From == row.GetProperty("from").GetString() && t.To == cell.GetProperty("to").GetString()).ToList();
                Assert.True((moved.Count, moved.Sum(t => t.Balance)) == (cell.GetProperty("loans").GetInt64(), cell.GetProperty("balance").GetDecimal()),
                    $"{from}→{to} {row.GetProperty("from")}→{cell.GetProperty("to")}: {matrix}");
            }
            var delinquent = expected.Where(t => t.From != "current").ToList();
            Assert.Equal(Ratio(delinquent.Count(t => t.To is "current" or "paid_off" or "settled"), delinquent.Count), matrix.GetProperty("cureRate").GetDecimal());
        }

        // February → March: of the three loans current at the end of February, B and D rolled to M2 (31 days late);
        // March → April: D paid its arrears (cured), B rolled on to M3.
        var febMar = await Analyst("/analytics/roll-rates?from=2026-02&to=2026-03");
        var current = Row(febMar, "current");
        Assert.Equal((3, 1, 2), (current.GetProperty("loans").GetInt64(), Cell(current, "current").GetProperty("loans").GetInt64(),
            Cell(current, "M2").GetProperty("loans").GetInt64()));
        Assert.Equal(0.666667m, Cell(current, "M2").GetProperty("rate").GetDecimal());
        var marApr = await Analyst("/analytics/roll-rates?from=2026-03&to=2026-04");
        Assert.Equal((2, 1, 0.5m), (marApr.GetProperty("delinquent").GetInt64(), marApr.GetProperty("cured").GetInt64(), marApr.GetProperty("cureRate").GetDecimal()));
        Assert.Equal(1, Cell(Row(marApr, "M2"), "M3").GetProperty("loans").GetInt64());

        // By default: the last two closed month-ends (business date 10 May: March → April).
        Assert.Equal(marApr.GetRawText(), (await Analyst("/analytics/roll-rates")).GetRawText());
        await (await As(Roles.RiskAnalyst, s => { s.Get.Url("/analytics/roll-rates?from=2026-04&to=2026-05"); s.StatusCodeShouldBe(422); }))
            .ShouldBeProblem(422, "analytics.month_not_closed");
        await (await As(Roles.RiskAnalyst, s => { s.Get.Url("/analytics/roll-rates?from=2026-13&to=2026-03"); s.StatusCodeShouldBe(422); }))
            .ShouldBeProblem(422, "analytics.bad_month");

        var csv = (await (await As(Roles.RiskAnalyst, s =>
        {
            s.Get.Url("/analytics/roll-rates?from=2026-02&to=2026-03");
            s.WithRequestHeader("Accept", "text/csv");
        })).ReadAsTextAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("from,to,fromState,toState,loans,balance,rate,balanceRate", csv[0]);
        // Balance: B's 6,000 and D's 9,000 of the 26,053.81 current at the end of February (A had repaid 946.19).
        Assert.Contains("2026-02-28,2026-03-31,current,M2,2,15000.00,0.666667,0.575732", csv);
    }

    [Fact]
    public async Task Vintages_count_the_cohort_ever_30_days_late_by_month_on_book_as_of_any_date()
    {
        await BuildBook();

        // B and D reached 30 days past due on 30 March (instalment 1 due 28 February); D's later cure does not undo it.
        var vintages = await Analyst("/analytics/vintages");
        var cohort = Assert.Single(vintages.GetProperty("cohorts").EnumerateArray());
        Assert.Equal(("2026-01-01", 4), (cohort.GetProperty("cohort").GetString(), cohort.GetProperty("loans").GetInt64()));
        Assert.Equal([0m, 0m, 0.5m, 0.5m, 0.5m], cohort.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("share").GetDecimal()));
        Assert.Equal(["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-10"],
            cohort.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("through").GetString()));

        // The same from the loans' own answers, day by day.
        var firstAt30 = new List<DateOnly>();
        foreach (var id in Loans)
            for (var d = Start; d <= End; d = d.AddDays(1))
                if ((await LoanAsOf(id, d))?.GetProperty("dpd").GetInt32() >= 30) { firstAt30.Add(d); break; }
        Assert.Equal([new DateOnly(2026, 3, 30), new DateOnly(2026, 3, 30)], firstAt30);

        var before = await Analyst("/analytics/vintages?asOf=2026-03-29");
        Assert.Equal([0m, 0m, 0m], Assert.Single(before.GetProperty("cohorts").EnumerateArray()).GetProperty("points").EnumerateArray()
            .Select(p => p.GetProperty("share").GetDecimal()));

        var csv = (await (await As(Roles.RiskAnalyst, s => { s.Get.Url("/analytics/vintages"); s.WithRequestHeader("Accept", "text/csv"); }))
            .ReadAsTextAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["cohort,loans,monthOnBook,through,reached,share", "2026-01-01,4,0,2026-01-31,0,0", "2026-01-01,4,1,2026-02-28,0,0",
            "2026-01-01,4,2,2026-03-31,2,0.5", "2026-01-01,4,3,2026-04-30,2,0.5", "2026-01-01,4,4,2026-05-10,2,0.5"], csv);
    }

    [Fact]
    public async Task Collector_performance_counts_contacts_promises_and_recoveries_over_a_period()
    {
        await BuildBook();

        // Late collection moved B and D to the senior collectors' queue: D's April payment is theirs.
        var all = (await Analyst("/analytics/collectors")).GetProperty("collectors").EnumerateArray().ToList();
        Assert.Equal([Agent, "senior-collections"], all.Select(c => c.GetProperty("assignee").GetString()));
        var (agent, senior) = (all[0], all[1]);
        Assert.Equal(await Recovered(D) - 100m, senior.GetProperty("amountRecovered").GetDecimal());
        Assert.Equal(0, senior.GetProperty("contacts").GetInt64());
        Assert.Equal((Agent, 3, 2, 0.666667m, 2, 1, 1, 0.5m, 100m),
            (agent.GetProperty("assignee").GetString(), agent.GetProperty("contacts").GetInt64(), agent.GetProperty("rightPartyContacts").GetInt64(),
                agent.GetProperty("rightPartyContactRate").GetDecimal(), agent.GetProperty("promisesMade").GetInt64(),
                agent.GetProperty("promisesKept").GetInt64(), agent.GetProperty("promisesBroken").GetInt64(),
                agent.GetProperty("promiseKeptRate").GetDecimal(), agent.GetProperty("amountRecovered").GetDecimal()));

        // Up to 13 March only the contacts, promises and D's 100 kept; B's promise broke on 21 March.
        var early = Assert.Single((await Analyst("/analytics/collectors?to=2026-03-13")).GetProperty("collectors").EnumerateArray());
        Assert.Equal((3, 2, 1, 0, 100m), (early.GetProperty("contacts").GetInt64(), early.GetProperty("promisesMade").GetInt64(),
            early.GetProperty("promisesKept").GetInt64(), early.GetProperty("promisesBroken").GetInt64(), early.GetProperty("amountRecovered").GetDecimal()));
        Assert.Empty((await Analyst("/analytics/collectors?region=East&to=2026-03-09")).GetProperty("collectors").EnumerateArray());

        var csv = (await (await As(Roles.RiskAnalyst, s => { s.Get.Url("/analytics/collectors?to=2026-03-13"); s.WithRequestHeader("Accept", "text/csv"); }))
            .ReadAsTextAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["from,to,assignee,contacts,rightPartyContacts,rightPartyContactRate,promisesMade,promisesKept,promisesBroken,promiseKeptRate,amountRecovered",
            ",2026-03-13,agent-7,3,2,0.666667,2,1,0,1,100.00"], csv);
    }

    [Fact]
    public async Task A_rebuild_from_the_events_reproduces_every_figure_and_the_lag_is_reported()
    {
        await BuildBook();
        string[] urls = ["/analytics/delinquency?asOf=2026-03-31", "/analytics/delinquency", "/analytics/delinquency?asOf=2026-04-20&region=West",
            "/analytics/roll-rates?from=2026-02&to=2026-04", "/analytics/vintages", "/analytics/collectors"];
        var before = new List<string>();
        foreach (var url in urls) before.Add((await Analyst(url)).GetRawText());

        var lag = await Analyst("/analytics/projections");
        // Both async projections, the analytics and the sealed evidence log, caught up.
        var projections = lag.GetProperty("projections").EnumerateArray().ToList();
        Assert.Equal(["PortfolioAnalytics", "EvidenceLog"], projections.Select(p => p.GetProperty("name").GetString()));
        Assert.All(projections, p => Assert.Equal(0, p.GetProperty("eventsBehind").GetInt64()));
        var analytics = projections[0];
        Assert.Equal(lag.GetProperty("highestSequence").GetInt64(), analytics.GetProperty("sequence").GetInt64());

        var daemon = Host.Services.GetRequiredService<IProjectionCoordinator>().DaemonForMainDatabase();
        await daemon.RebuildProjectionAsync("PortfolioAnalytics", TimeSpan.FromSeconds(30), CancellationToken.None);

        var after = new List<string>();
        foreach (var url in urls) after.Add((await Analyst(url)).GetRawText());
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task The_sequential_rebuild_gives_the_live_figures_and_the_daemon_carries_on_from_it()
    {
        await BuildBook();
        string[] urls = ["/analytics/delinquency?asOf=2026-03-31", "/analytics/delinquency", "/analytics/delinquency?asOf=2026-04-20&region=West",
            "/analytics/roll-rates?from=2026-01&to=2026-02", "/analytics/roll-rates?from=2026-02&to=2026-04", "/analytics/vintages",
            "/analytics/collectors"];
        async Task<List<string>> Figures()
        {
            var answers = new List<string>();
            foreach (var url in urls) answers.Add((await Analyst(url)).GetRawText());
            foreach (var (date, _) in LiveAnswers) answers.Add((await Analyst($"/analytics/delinquency?asOf={date:yyyy-MM-dd}")).GetRawText());
            await using var session = App.Store.QuerySession();
            answers.AddRange(await session.QueryAsync<string>("select id || ' ' || data::text from lending.mt_doc_loananalytics order by id"));
            answers.AddRange(await session.QueryAsync<string>("select t::text from lending.analytics_loan_month_ends t order by 1"));
            answers.AddRange(await session.QueryAsync<string>("select t::text from lending.analytics_collector_days t order by 1"));
            answers.AddRange(await session.QueryAsync<string>("select t::text from lending.analytics_cohort_days t order by 1"));
            return answers;
        }
        var live = await Figures();

        // Run here with the test node's daemon idle and caught up (in production every node is stopped). A write of the
        // summed changes every 7 events: the figures may not depend on where a stretch ends.
        var rebuild = Host.Services.GetRequiredService<Lending.Api.Analytics.AnalyticsRebuild>();
        var rebuilt = await rebuild.RunAsync(CancellationToken.None, flushEvery: 7);

        Assert.True(rebuilt.Events > 50, $"{rebuilt.Events} events");
        Assert.Equal(live, await Figures());
        var lag = (await Analyst("/analytics/projections")).GetProperty("projections").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "PortfolioAnalytics");
        Assert.Equal(rebuilt.Through, lag.GetProperty("sequence").GetInt64());

        // The daemon takes over from where the replay stopped: a payment after it is counted, once (the figures equal a
        // replay's that includes it).
        await Pay(A, 500m, "a-after-rebuild");
        await WaitForProjections();
        var carriedOn = await Figures();
        Assert.NotEqual(live, carriedOn);
        await rebuild.RunAsync(CancellationToken.None);
        Assert.Equal(carriedOn, await Figures());
    }

    [Fact]
    public async Task Risk_analysts_never_receive_borrower_contact_details_or_national_ids()
    {
        await BuildBook();
        foreach (var url in new[] { "/analytics/delinquency", "/analytics/roll-rates", "/analytics/vintages", "/analytics/collectors", $"/loans/{B}" })
        {
            var text = await (await As(Roles.RiskAnalyst, s => s.Get.Url(url))).ReadAsTextAsync();
            foreach (var secret in new[] { "+86-139-0000-0000", "ll@example.com", "110101199202021234", "2 Road, Chengdu" })
                Assert.DoesNotContain(secret, text);
        }
        var borrower = (await Analyst($"/loans/{B}")).GetProperty("borrower");
        Assert.Equal([JsonValueKind.Null, JsonValueKind.Null, JsonValueKind.Null, JsonValueKind.Null],
            new[] { "phone", "email", "nationalId", "address" }.Select(p => borrower.GetProperty(p).ValueKind));
        foreach (var url in new[] { $"/loans/{B}/contacts", $"/loans/{B}/events" })
            await As(Roles.RiskAnalyst, s => { s.Get.Url(url); s.StatusCodeShouldBe(403); });
    }

    [Fact]
    public async Task The_analytics_tables_keep_no_borrower_identity()
    {
        await BuildBook();
        await WaitForProjections();
        await using var connection = new Npgsql.NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync();
        var stored = new System.Text.StringBuilder();
        foreach (var table in new[] { "mt_doc_loananalytics", "analytics_portfolio_cells", "analytics_delinquency_history",
                     "analytics_loan_month_ends", "analytics_collector_days", "analytics_cohort_days" })
        {
            await using var read = new Npgsql.NpgsqlCommand($"select coalesce(string_agg(to_jsonb(t)::text, ''), '') from lending.{table} t", connection);
            stored.Append((string)(await read.ExecuteScalarAsync())!);
        }
        Assert.Contains(B.ToString(), stored.ToString());
        foreach (var secret in new[] { "Li Lei", "+86-139-0000-0000", "ll@example.com", "110101199202021234", "2 Road, Chengdu" })
            Assert.DoesNotContain(secret, stored.ToString());
    }

    private static DateOnly MonthEnd(string month) => DateOnly.Parse($"{month}-01").AddMonths(1).AddDays(-1);

    private static JsonElement Row(JsonElement matrix, string from) =>
        matrix.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("from").GetString() == from);

    private static JsonElement Cell(JsonElement row, string to) =>
        row.GetProperty("to").EnumerateArray().Single(c => c.GetProperty("to").GetString() == to);

    private static string StateOf(JsonElement loan) => loan.GetProperty("status").GetString() is "paid_off" or "settled" or "written_off"
        ? loan.GetProperty("status").GetString()! : loan.GetProperty("bucket").GetString()!;

    /// <summary>The expected transitions, from the loans' own answers at both month-ends.</summary>
    private async Task<List<(string From, string To, decimal Balance)>> Transitions(DateOnly from, DateOnly to)
    {
        var transitions = new List<(string, string, decimal)>();
        foreach (var id in Loans)
        {
            if (await LoanAsOf(id, from) is not { } atFrom || StateOf(atFrom) is "paid_off" or "settled" or "written_off") continue;
            transitions.Add((StateOf(atFrom), StateOf((await LoanAsOf(id, to))!.Value), atFrom.GetProperty("principalOutstanding").GetDecimal()));
        }
        return transitions;
    }

    private async Task<decimal> Recovered(Guid loanId)
    {
        var events = await ReadJson(await As(Roles.Legal, s => s.Get.Url($"/loans/{loanId}/events")));
        return events.EnumerateArray().Where(e => e.GetProperty("type").GetString() == "payment_received")
            .Sum(e => e.GetProperty("data").GetProperty("amount").GetDecimal() - e.GetProperty("data").GetProperty("overpayment").GetDecimal());
    }
}
