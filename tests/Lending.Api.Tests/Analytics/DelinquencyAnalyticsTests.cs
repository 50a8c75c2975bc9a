using System.Text.Json;
using Lending.Api.Auth;
using Lending.Api.Tests.Infrastructure;

namespace Lending.Api.Tests.Analytics;

public class DelinquencyAnalyticsTests(AppFixture app) : AnalyticsTest(app)
{
    [Fact]
    public async Task As_of_every_date_the_summary_adds_up_the_loans_own_answers_and_repeats_what_it_said_that_day()
    {
        await BuildBook();
        Assert.Equal(End, await Today());
        Assert.Equal(8, LiveAnswers.Count);

        for (var date = Start; date <= End; date = date.AddDays(1))
        {
            var summary = await Analyst($"/analytics/delinquency?asOf={date:yyyy-MM-dd}");
            AssertAddsUp(await OpenLoansAsOf(date), summary, date);
            // What the endpoint said at the end of that business date, it still says of that date.
            if (LiveAnswers.TryGetValue(date, out var said)) Assert.Equal(said, summary.GetRawText());
        }
    }

    [Fact]
    public async Task Par_provisions_filters_and_csv_on_dates_with_loans_more_than_30_days_late()
    {
        await BuildBook();

        // 31 Mar: B and D are 31 days past due (M2), A is current, C was paid off in February.
        var summary = await Analyst("/analytics/delinquency?asOf=2026-03-31");
        var open = await OpenLoansAsOf(new DateOnly(2026, 3, 31));
        Assert.Equal(["current", "M2", "M2"], open.Select(l => l.GetProperty("bucket").GetString()).Order());
        Assert.Equal(3, summary.GetProperty("activeLoans").GetInt64());
        var principal = open.Sum(l => l.GetProperty("principalOutstanding").GetDecimal());
        var late = open.Where(l => l.GetProperty("dpd").GetInt32() > 30).Sum(l => l.GetProperty("principalOutstanding").GetDecimal());
        Assert.Equal(Ratio(late, principal), summary.GetProperty("par30").GetDecimal());
        Assert.True(summary.GetProperty("par30").GetDecimal() > 0.4m);
        Assert.Equal(0m, summary.GetProperty("par90").GetDecimal());

        // Provisioning (DOMAIN.md's classes): standard 1% of the current bucket's total outstanding, substandard 25% of M2's.
        var total = (string bucket) => open.Where(l => l.GetProperty("bucket").GetString() == bucket).Sum(l => l.GetProperty("totalOutstanding").GetDecimal());
        var expectedLoss = Math.Round(total("current") * 0.01m, 2, MidpointRounding.AwayFromZero) + Math.Round(total("M2") * 0.25m, 2, MidpointRounding.AwayFromZero);
        Assert.Equal(expectedLoss, summary.GetProperty("expectedLoss").GetDecimal());

        // On the day of disbursement everything is current.
        var first = await Analyst($"/analytics/delinquency?asOf={Start:yyyy-MM-dd}");
        Assert.Equal((4, 30_000m, 0m), (first.GetProperty("activeLoans").GetInt64(), first.GetProperty("principalOutstanding").GetDecimal(),
            first.GetProperty("par30").GetDecimal()));

        await Filters_and_the_csv_form();
    }

    private async Task Filters_and_the_csv_form()
    {
        var date = new DateOnly(2026, 4, 10);

        AssertAddsUp(await OpenLoansAsOf(date, [C, D]), await Analyst($"/analytics/delinquency?asOf={date:yyyy-MM-dd}&region=West"), date);
        AssertAddsUp(await OpenLoansAsOf(date, [B]), await Analyst($"/analytics/delinquency?asOf={date:yyyy-MM-dd}&branch=Shanghai-02"), date);
        AssertAddsUp(await OpenLoansAsOf(date), await Analyst($"/analytics/delinquency?asOf={date:yyyy-MM-dd}&product=CASH-12M"), date);
        AssertAddsUp([], await Analyst($"/analytics/delinquency?asOf={date:yyyy-MM-dd}&product=NONE"), date);

        var json = await Analyst($"/analytics/delinquency?asOf={date:yyyy-MM-dd}");
        var csv = await As(Roles.RiskAnalyst, s =>
        {
            s.Get.Url($"/analytics/delinquency?asOf={date:yyyy-MM-dd}");
            s.WithRequestHeader("Accept", "text/csv");
            s.ContentTypeShouldBe("text/csv; charset=utf-8");
        });
        var lines = (await csv.ReadAsTextAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("asOf,bucket,loans,principalOutstanding,totalOutstanding,par30,par90,expectedLoss", lines[0]);
        var buckets = json.GetProperty("buckets").EnumerateArray().ToList();
        Assert.Equal(buckets.Count + 1, lines.Length);
        for (var i = 0; i < buckets.Count; i++)
            Assert.Equal(string.Join(",", "2026-04-10", buckets[i].GetProperty("bucket").GetString(), buckets[i].GetProperty("loans").GetInt64(),
                Invariant(buckets[i].GetProperty("principalOutstanding")), Invariant(buckets[i].GetProperty("totalOutstanding")),
                Invariant(json.GetProperty("par30")), Invariant(json.GetProperty("par90")), Invariant(json.GetProperty("expectedLoss"))), lines[i + 1]);
    }

    [Fact]
    public async Task A_date_after_the_business_date_or_a_bad_one_is_refused_and_only_analysts_read_analytics()
    {
        await (await As(Roles.RiskAnalyst, s => { s.Get.Url("/analytics/delinquency?asOf=2027-01-01"); s.StatusCodeShouldBe(422); }))
            .ShouldBeProblem(422, "as_of.in_future");
        await As(Roles.RiskAnalyst, s => { s.Get.Url("/analytics/delinquency?asOf=yesterday"); s.StatusCodeShouldBe(400); });
        foreach (var url in new[] { "/analytics/delinquency", "/analytics/roll-rates", "/analytics/vintages", "/analytics/collectors", "/analytics/projections" })
        {
            await As(Roles.Collector, s => { s.Get.Url(url); s.StatusCodeShouldBe(403); });
            await As(Roles.Legal, s => { s.Get.Url(url); s.StatusCodeShouldBe(403); });
        }
    }

    private static string Invariant(JsonElement number) => number.GetDecimal().ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void AssertAddsUp(IReadOnlyList<JsonElement> open, JsonElement summary, DateOnly date)
    {
        Assert.Equal(date.ToString("yyyy-MM-dd"), summary.GetProperty("asOf").GetString());
        foreach (var bucket in summary.GetProperty("buckets").EnumerateArray())
        {
            var name = bucket.GetProperty("bucket").GetString();
            var inBucket = open.Where(l => l.GetProperty("bucket").GetString() == name).ToList();
            Assert.True((inBucket.Count, inBucket.Sum(l => l.GetProperty("principalOutstanding").GetDecimal()),
                    inBucket.Sum(l => l.GetProperty("totalOutstanding").GetDecimal()))
                == (bucket.GetProperty("loans").GetInt64(), bucket.GetProperty("principalOutstanding").GetDecimal(),
                    bucket.GetProperty("totalOutstanding").GetDecimal()), $"{date} {name}: {summary}");
        }
        var principal = open.Sum(l => l.GetProperty("principalOutstanding").GetDecimal());
        Assert.Equal(open.Count, summary.GetProperty("activeLoans").GetInt64());
        Assert.Equal(principal, summary.GetProperty("principalOutstanding").GetDecimal());
        Assert.Equal(open.Sum(l => l.GetProperty("totalOutstanding").GetDecimal()), summary.GetProperty("totalOutstanding").GetDecimal());
        Assert.Equal(Ratio(open.Where(l => l.GetProperty("dpd").GetInt32() > 30).Sum(l => l.GetProperty("principalOutstanding").GetDecimal()), principal),
            summary.GetProperty("par30").GetDecimal());
        Assert.Equal(Ratio(open.Where(l => l.GetProperty("dpd").GetInt32() > 90).Sum(l => l.GetProperty("principalOutstanding").GetDecimal()), principal),
            summary.GetProperty("par90").GetDecimal());
    }
}
