using System.Text.Json;
using Lending.Api.Auth;
using Lending.Api.Tests.Infrastructure;

namespace Lending.Api.Tests.Loans;

/// <summary>
/// A loan's money through the API as the business date advances. CASH-12M: 12,000 at 12% over 12 months, disbursed
/// 31 Jan 2026; instalment 1 (946.19 principal + 120.00 interest) falls due on 28 Feb. Grace 3 days; penalty
/// 12% × 1.5 = 18% clipped by the 24% cap to 12%: 946.19 × 12% / 365 = 0.31 a day.
/// </summary>
public class LoanLedgerTests(AppFixture app) : ApiTest(app)
{
    private Guid _loanId;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await DefineCashProduct();
        _loanId = await DisburseLoan();
    }

    private static decimal Money(JsonElement e, string name) => e.GetProperty(name).GetDecimal();

    [Fact]
    public async Task The_schedule_is_the_annuity_of_the_contract()
    {
        var schedule = await ReadJson(await As(Roles.Collector, s => s.Get.Url($"/loans/{_loanId}/schedule")));
        var installments = schedule.GetProperty("installments").EnumerateArray().ToList();

        Assert.Equal(12, installments.Count);
        Assert.Equal("2026-02-28", installments[0].GetProperty("dueDate").GetString());
        Assert.Equal((946.19m, 120.00m), (Money(installments[0], "principal"), Money(installments[0], "interest")));
        Assert.Equal((1_055.58m, 10.56m), (Money(installments[11], "principal"), Money(installments[11], "interest")));
        Assert.Equal(12_000m, installments.Sum(i => Money(i, "principal")));
        Assert.All(installments, i => Assert.Equal("upcoming", i.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Paid_on_time_the_loan_stays_current_and_accrues_nothing()
    {
        await AdvanceDays(28); // 28 Feb, the due date

        var allocation = await ReadJson(await Pay(_loanId, 1_066.19m, "bank-0228"));
        Assert.Equal((0m, 0m, 120.00m, 946.19m, 0m), (Money(allocation, "penalty"), Money(allocation, "fees"),
            Money(allocation, "interest"), Money(allocation, "principal"), Money(allocation, "overpayment")));

        await AdvanceDays(10);
        var loan = await GetLoan(_loanId);
        Assert.Equal(0, loan.GetProperty("dpd").GetInt32());
        Assert.Equal("current", loan.GetProperty("bucket").GetString());
        Assert.Equal(0m, Money(loan, "penaltyOutstanding"));
        Assert.Equal(11_053.81m, Money(loan, "principalOutstanding"));
        Assert.Equal(110.54m, Money(loan, "interestOutstanding")); // March's interest: its period has begun
        Assert.Equal("2026-03-31", loan.GetProperty("nextDueDate").GetString());
    }

    [Fact]
    public async Task Late_the_loan_goes_overdue_and_accrues_penalty_after_grace_within_the_cap()
    {
        await AdvanceDays(33); // 5 Mar: DPD 5, penalty for 4 and 5 Mar

        var loan = await GetLoan(_loanId);
        Assert.Equal("overdue", loan.GetProperty("status").GetString());
        Assert.Equal(5, loan.GetProperty("dpd").GetInt32());
        Assert.Equal("M1", loan.GetProperty("bucket").GetString());
        Assert.Equal(0.62m, Money(loan, "penaltyOutstanding"));
        Assert.Equal(12_000m, Money(loan, "principalOutstanding"));
        Assert.Equal(230.54m, Money(loan, "interestOutstanding"));
        Assert.Equal(12_231.16m, Money(loan, "totalOutstanding"));
        Assert.Equal(1_066.19m, Money(loan, "arrears"));

        var schedule = await ReadJson(await As(Roles.Collector, s => s.Get.Url($"/loans/{_loanId}/schedule")));
        var first = schedule.GetProperty("installments")[0];
        Assert.Equal(("overdue", 0.62m), (first.GetProperty("status").GetString(), Money(first, "penalty")));
    }

    [Fact]
    public async Task A_payment_settles_penalty_first_and_reclassifies_at_once()
    {
        await AdvanceDays(33);

        var allocation = await ReadJson(await Pay(_loanId, 1_066.81m, "bank-0305"));

        Assert.Equal((0.62m, 120.00m, 946.19m), (Money(allocation, "penalty"), Money(allocation, "interest"), Money(allocation, "principal")));
        var loan = await GetLoan(_loanId);
        Assert.Equal(("active", "current", 0), (loan.GetProperty("status").GetString(), loan.GetProperty("bucket").GetString(),
            loan.GetProperty("dpd").GetInt32()));
    }

    [Fact]
    public async Task A_partial_payment_leaves_the_loan_overdue_and_penalty_runs_on_the_unpaid_principal()
    {
        await AdvanceDays(33);
        await Pay(_loanId, 500m, "part-1"); // 0.62 penalty, 120 interest, 379.38 principal → 566.81 principal overdue

        await AdvanceDays(1);
        var loan = await GetLoan(_loanId);
        Assert.Equal(6, loan.GetProperty("dpd").GetInt32());
        // 566.81 × 12% / 365 = 0.18635 with 0.00222 carried from the first two days (0.62222 booked as 0.62): 0.18857,
        // booked 0.18 (0.80 in all against an exact 0.80857; a cent rounded up each day would overcharge).
        Assert.Equal(0.18m, Money(loan, "penaltyOutstanding"));
    }

    [Fact]
    public async Task The_same_reference_twice_is_one_payment()
    {
        await AdvanceDays(28);
        var first = await ReadJson(await Pay(_loanId, 700m, "bank-dup"));
        var events = await EventCount(_loanId);

        var again = await ReadJson(await Pay(_loanId, 700m, "bank-dup", status: 200));

        Assert.Equal(first.GetRawText(), again.GetRawText());
        Assert.Equal(events, await EventCount(_loanId));
        Assert.Equal(11_420.00m, Money(await GetLoan(_loanId), "principalOutstanding")); // 12,000 − 580 principal, once
        await (await Pay(_loanId, 701m, "bank-dup", status: 409)).ShouldBeProblem(409, "payment.reference_conflict");
    }

    [Fact]
    public async Task Paying_everything_pays_the_loan_off_refunds_the_excess_and_issues_the_certificate()
    {
        await AdvanceDays(33);
        await (await As(Roles.Legal, s => { s.Get.Url($"/loans/{_loanId}/payoff-certificate"); s.StatusCodeShouldBe(409); }))
            .ShouldBeProblem(409, "loan.not_closed");

        var allocation = await ReadJson(await Pay(_loanId, 12_300m, "payoff"));

        Assert.Equal(68.84m, Money(allocation, "overpayment")); // 12,300 − 12,231.16
        var loan = await GetLoan(_loanId);
        Assert.Equal("paid_off", loan.GetProperty("status").GetString());
        Assert.Equal(0m, Money(loan, "totalOutstanding"));
        Assert.Equal("2026-03-05", loan.GetProperty("closedOn").GetString());

        var certificate = await ReadJson(await As(Roles.Legal, s => s.Get.Url($"/loans/{_loanId}/payoff-certificate")));
        Assert.Equal("2026-03-05", certificate.GetProperty("closedOn").GetString());
        var paid = certificate.GetProperty("paid");
        Assert.Equal((12_000m, 230.54m, 0.62m, 12_231.16m), (Money(paid, "principal"), Money(paid, "interest"), Money(paid, "penalty"), Money(paid, "total")));
        Assert.Equal(68.84m, Money(certificate, "overpaid"));
        Assert.Equal("Wang Fang", certificate.GetProperty("borrower").GetProperty("name").GetString());

        var pdf = await PayoffCertificatePdf();
        var text = await PdfText.ExtractAsync(pdf);
        foreach (var expected in new[] { "结清证明", "Payoff Certificate", "Wang Fang", "12,231.16 CNY", "68.84 CNY", "2026-03-05", "全部结清" })
            Assert.Contains(expected, text);
        Assert.Equal(pdf, await PayoffCertificatePdf()); // the same certificate twice is the same document, byte for byte

        await (await Pay(_loanId, 10m, "after", status: 409)).ShouldBeProblem(409, "payment.loan_closed");
        // Nothing is owed, so close of business leaves the loan alone.
        var run = await AdvanceDays(5);
        Assert.Equal(0, run.GetProperty("loansProcessed").GetInt64());
    }

    private async Task<byte[]> PayoffCertificatePdf()
    {
        var result = await As(Roles.Legal, s =>
        {
            s.Get.Url($"/loans/{_loanId}/payoff-certificate");
            s.WithRequestHeader("Accept", "application/pdf");
            s.ContentTypeShouldBe("application/pdf");
        });
        using var buffer = new MemoryStream();
        await result.Context.Response.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    [Fact]
    public async Task A_stale_if_match_is_refused_with_412_and_the_current_one_accepted()
    {
        var read = await As(Roles.Collector, s => s.Get.Url($"/loans/{_loanId}"));
        var etag = read.Context.Response.Headers.ETag.ToString();
        await Pay(_loanId, 10m, "first", ifMatch: etag);

        await (await Pay(_loanId, 10m, "second", status: 412, ifMatch: etag)).ShouldBeProblem(412, "concurrency.stale_version");

        var fresh = (await As(Roles.Collector, s => s.Get.Url($"/loans/{_loanId}"))).Context.Response.Headers.ETag.ToString();
        await Pay(_loanId, 10m, "second", ifMatch: fresh);
    }

    [Fact]
    public async Task Payment_input_errors_are_problems_and_write_nothing()
    {
        var events = await EventCount(_loanId);
        await (await Pay(_loanId, -1m, "neg", status: 422)).ShouldBeProblem(422, "payment.amount_not_positive");
        await (await As(Roles.Collector, s =>
        {
            s.Post.Json(new { amount = 10 }).ToUrl($"/loans/{_loanId}/payments");
            s.StatusCodeShouldBe(400);
        })).ShouldBeProblem(400, "request.invalid");
        await As(Roles.Collector, s =>
        {
            s.Post.Json(new { amount = 10, reference = "x" }).ToUrl($"/loans/{Guid.NewGuid()}/payments");
            s.StatusCodeShouldBe(404);
        });
        await As(Roles.RiskAnalyst, s =>
        {
            s.Post.Json(new { amount = 10, reference = "x" }).ToUrl($"/loans/{_loanId}/payments");
            s.StatusCodeShouldBe(403);
        });
        Assert.Equal(events, await EventCount(_loanId));
    }

    [Fact]
    public async Task A_loan_as_of_a_past_date_is_what_the_service_said_that_day()
    {
        await AdvanceDays(30); // 2 Mar: DPD 2
        var thatDay = await GetLoan(_loanId);
        await AdvanceDays(5); // 7 Mar
        await Pay(_loanId, 300m, "later");

        var asOf = await GetLoan(_loanId, asOf: "2026-03-02");

        foreach (var field in new[] { "dpd", "bucket", "status", "principalOutstanding", "interestOutstanding",
                     "penaltyOutstanding", "totalOutstanding", "version" })
            Assert.Equal(thatDay.GetProperty(field).GetRawText(), asOf.GetProperty(field).GetRawText());
        Assert.Equal("2026-03-02", asOf.GetProperty("asOf").GetString());

        var schedule = await ReadJson(await As(Roles.Collector, s => s.Get.Url($"/loans/{_loanId}/schedule?asOf=2026-03-02")));
        Assert.Equal(0m, Money(schedule.GetProperty("installments")[0], "paid"));
        await As(Roles.Collector, s => { s.Get.Url($"/loans/{_loanId}?asOf=yesterday"); s.StatusCodeShouldBe(400); });
        await (await As(Roles.Collector, s => { s.Get.Url($"/loans/{_loanId}?asOf=2026-12-31"); s.StatusCodeShouldBe(422); }))
            .ShouldBeProblem(422, "as_of.in_future");
        await (await As(Roles.Collector, s => { s.Get.Url($"/loans/{_loanId}?asOf=2026-01-01"); s.StatusCodeShouldBe(404); }))
            .ShouldBeProblem(404, "loan.not_yet_booked");
    }

    [Fact]
    public async Task A_paused_loan_stops_counting_days_and_accrues_nothing_until_resumed()
    {
        await AdvanceDays(33); // 5 Mar: DPD 5, penalty 0.62
        await As(Roles.Supervisor, s => s.Post.Json(new { reason = "Borrower disputes the March instalment" }).ToUrl($"/loans/{_loanId}/delinquency-pause"));
        await AdvanceDays(10);

        var paused = await GetLoan(_loanId);
        Assert.Equal((5, 0.62m, true), (paused.GetProperty("dpd").GetInt32(), Money(paused, "penaltyOutstanding"),
            paused.GetProperty("delinquencyPaused").GetBoolean()));

        await As(Roles.Supervisor, s => s.Post.Json(new { }).ToUrl($"/loans/{_loanId}/delinquency-resume"));
        await AdvanceDays(2);
        var resumed = await GetLoan(_loanId);
        Assert.Equal(7, resumed.GetProperty("dpd").GetInt32());
        Assert.Equal(1.24m, Money(resumed, "penaltyOutstanding"));

        await As(Roles.Collector, s =>
        {
            s.Post.Json(new { reason = "x" }).ToUrl($"/loans/{_loanId}/delinquency-pause");
            s.StatusCodeShouldBe(403);
        });
    }
}

public class PenaltyCapTests(AppFixture app) : ApiTest(app)
{
    [Theory]
    [InlineData(0.18, 0.24, 0.06, 0.15)] // DOMAIN.md: contract 18%, cap 24% → 6%, on 920.16 overdue principal
    [InlineData(0.10, 0.36, 0.15, 0.39)] // under the cap: 10% × 1.5 = 15% on 954.99
    public async Task Penalty_accrues_at_the_multiplied_rate_clipped_by_the_cap(decimal rate, decimal cap, decimal penaltyRate, decimal daily)
    {
        await DefineCashProduct("CAP", annualRate: rate, rateCap: cap);
        var product = await ReadJson(await As(Roles.Collector, s => s.Get.Url("/products/CAP")));
        Assert.Equal(penaltyRate, product.GetProperty("penaltyRate").GetDecimal());
        var loanId = await DisburseLoan(productCode: "CAP");

        await AdvanceDays(28 + 6); // 6 Mar: 3 days past grace

        Assert.Equal(3 * daily, (await GetLoan(loanId)).GetProperty("penaltyOutstanding").GetDecimal());
    }
}

public class CloseOfBusinessScaleTests(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task Close_of_business_visits_only_the_loans_in_arrears()
    {
        await DefineCashProduct();
        var loans = new List<Guid>();
        for (var i = 0; i < 5; i++) loans.Add(await DisburseLoan(1_000m * (i + 1)));
        await AdvanceDays(28);
        await Pay(loans[0], 88.85m, "on-time"); // instalment 1 of a 1,000 loan: 78.85 principal + 10.00 interest

        // 1–3 Mar: four loans in arrears each day, paged in batches of two, and the paid one once, on 1 Mar, when its
        // second period begins and its interest is charged.
        var run = await AdvanceDays(3);

        Assert.Equal(13, run.GetProperty("loansProcessed").GetInt64());
        Assert.Equal("current", (await GetLoan(loans[0])).GetProperty("bucket").GetString());
        foreach (var id in loans.Skip(1)) Assert.Equal(3, (await GetLoan(id)).GetProperty("dpd").GetInt32());
    }

    [Theory]
    [InlineData(40)]
    [InlineData(10)]
    [InlineData(1)]
    public async Task Advancing_day_by_day_or_at_once_gives_the_same_figures(int step)
    {
        await DefineCashProduct();
        var loanId = await DisburseLoan();

        for (var days = 0; days < 40; days += step) await AdvanceDays(step);

        // 12 Mar: DPD 12, penalty for 4–12 Mar (9 days × 0.31), nothing accrued twice.
        var loan = await GetLoan(loanId);
        Assert.Equal(12, loan.GetProperty("dpd").GetInt32());
        Assert.Equal(2.79m, loan.GetProperty("penaltyOutstanding").GetDecimal());
        var types = (await ReadJson(await As(Roles.Legal, s => s.Get.Url($"/loans/{loanId}/events")))).EnumerateArray()
            .Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Equal(9, types.Count(t => t == "penalty_accrued"));
        Assert.Equal(1, types.Count(t => t == "delinquency_bucket_changed"));
        Assert.Equal(2, types.Count(t => t == "loan_escalated")); // reminder, then early collection after grace
    }
}
