using System.Text.Json;
using Lending.Api.Auth;
using Lending.Api.Tests.Infrastructure;
using Lending.Domain.Loans;
using Marten;

namespace Lending.Api.Tests.Loans;

public class DisburseLoanTests(AppFixture app) : ApiTest(app)
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await DefineCashProduct();
    }

    [Fact]
    public async Task A_disbursed_loan_is_created_with_its_location_and_read_back_with_an_etag()
    {
        var loanId = Guid.NewGuid();
        var created = await As(Roles.Supervisor, s =>
        {
            s.Post.Json(NewLoan(loanId, principal: 12_000m)).ToUrl("/loans");
            s.StatusCodeShouldBe(201);
            s.Header("Location").SingleValueShouldEqual($"/loans/{loanId}");
        }, subject: "sup-9");
        var body = await ReadJson(created);
        Assert.Equal(loanId, body.GetProperty("loanId").GetGuid());
        Assert.Equal("active", body.GetProperty("status").GetString());

        var read = await As(Roles.Collector, s =>
        {
            s.Get.Url($"/loans/{loanId}");
            s.Header("ETag").SingleValueShouldEqual("\"2\"");
        });
        var loan = await ReadJson(read);
        Assert.Equal("CASH-12M", loan.GetProperty("productCode").GetString());
        Assert.Equal(12_000m, loan.GetProperty("principal").GetDecimal());
        Assert.Equal(12_000m, loan.GetProperty("principalOutstanding").GetDecimal());
        Assert.Equal(12_000m, loan.GetProperty("totalOutstanding").GetDecimal());
        Assert.Equal("CNY", loan.GetProperty("currency").GetString());
        Assert.Equal(0, loan.GetProperty("dpd").GetInt32());
        Assert.Equal("current", loan.GetProperty("bucket").GetString());
        Assert.Equal("none", loan.GetProperty("stage").GetString());
        Assert.Equal(AppFixture.StartDate.ToString("yyyy-MM-dd"), loan.GetProperty("disbursedOn").GetString());
        Assert.Equal("East", loan.GetProperty("region").GetString());
        Assert.Equal("Shanghai-01", loan.GetProperty("branch").GetString());
        Assert.Equal(2, loan.GetProperty("version").GetInt64());
        Assert.Equal("110101199001011234", loan.GetProperty("borrower").GetProperty("nationalId").GetString());
    }

    [Fact]
    public async Task The_loan_stream_starts_with_the_disbursement_and_its_snapshot_of_the_terms()
    {
        var loanId = await DisburseLoan();

        var events = await ReadJson(await As(Roles.Legal, s => s.Get.Url($"/loans/{loanId}/events")));
        Assert.Equal(2, events.GetArrayLength());
        var disbursed = events[0];
        Assert.Equal("loan_disbursed", disbursed.GetProperty("type").GetString());
        Assert.Equal("repayment_schedule_set", events[1].GetProperty("type").GetString());
        Assert.Equal(12, events[1].GetProperty("data").GetProperty("installments").GetArrayLength());
        Assert.Equal(1, disbursed.GetProperty("version").GetInt64());
        Assert.Equal(App.Clock.GetUtcNow(), disbursed.GetProperty("timestamp").GetDateTimeOffset());
        var data = disbursed.GetProperty("data");
        Assert.Equal(12_000m, data.GetProperty("principal").GetDecimal());
        Assert.Equal("supervisor-1", data.GetProperty("disbursedBy").GetString());
        Assert.Equal(0.12m, data.GetProperty("terms").GetProperty("annualRate").GetDecimal());
        Assert.Equal("Wang Fang", data.GetProperty("borrower").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Events_appended_to_an_existing_stream_carry_the_service_clock_time_too()
    {
        // The clock is months away from the database server's: a server-stamped event would show it.
        var loanId = await DisburseLoan();
        await Pay(loanId, 100m, "PAY-CLOCK-1");

        var events = await ReadJson(await As(Roles.Legal, s => s.Get.Url($"/loans/{loanId}/events")));
        var payment = events.EnumerateArray().Single(e => e.GetProperty("type").GetString() == "payment_received");
        Assert.Equal(App.Clock.GetUtcNow(), payment.GetProperty("timestamp").GetDateTimeOffset());
    }

    [Fact]
    public async Task The_disbursement_date_may_be_given()
    {
        var loanId = Guid.NewGuid();
        await As(Roles.Admin, s =>
        {
            s.Post.Json(new { loanId, productCode = "CASH-12M", principal = 500, currency = "CNY", disbursedOn = "2026-01-15",
                borrower = new { id = "B-2", name = "Li Lei", timeZone = "Asia/Shanghai" } }).ToUrl("/loans");
            s.StatusCodeShouldBe(201);
        });
        var loan = await ReadJson(await As(Roles.Collector, s => s.Get.Url($"/loans/{loanId}")));
        Assert.Equal("2026-01-15", loan.GetProperty("disbursedOn").GetString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-100)]
    public async Task A_principal_that_is_not_positive_is_refused_and_nothing_is_written(decimal principal)
    {
        var loanId = Guid.NewGuid();
        var result = await As(Roles.Supervisor, s => { s.Post.Json(NewLoan(loanId, principal)).ToUrl("/loans"); s.StatusCodeShouldBe(422); });

        await result.ShouldBeProblem(422, "loan.principal_not_positive");
        await AssertNothingWritten(loanId);
    }

    [Fact]
    public async Task An_unknown_product_is_refused_and_nothing_is_written()
    {
        var loanId = Guid.NewGuid();
        var result = await As(Roles.Supervisor, s =>
        {
            s.Post.Json(NewLoan(loanId, productCode: "NO-SUCH")).ToUrl("/loans");
            s.StatusCodeShouldBe(422);
        });
        await result.ShouldBeProblem(422, "loan.unknown_product");
        await AssertNothingWritten(loanId);
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem()
    {
        var result = await As(Roles.Supervisor, s =>
        {
            s.Post.Text("{\"productCode\": \"CASH-12M\", \"principal\": ").ToUrl("/loans");
            s.WithRequestHeader("Content-Type", "application/json");
            s.StatusCodeShouldBe(400);
        });
        await result.ShouldBeProblem(400, "request.malformed");
    }

    [Fact]
    public async Task A_principal_that_is_not_a_number_is_a_400_problem()
    {
        var result = await As(Roles.Supervisor, s =>
        {
            s.Post.Json(new { productCode = "CASH-12M", principal = "a lot", currency = "CNY" }).ToUrl("/loans");
            s.StatusCodeShouldBe(400);
        });
        await result.ShouldBeProblem(400, "request.malformed");
    }

    [Fact]
    public async Task A_missing_borrower_is_named_in_a_400_and_nothing_is_written()
    {
        var loanId = Guid.NewGuid();
        var result = await As(Roles.Supervisor, s =>
        {
            s.Post.Json(new { loanId, productCode = "CASH-12M", principal = 1000, currency = "CNY" }).ToUrl("/loans");
            s.StatusCodeShouldBe(400);
        });
        await result.ShouldBeProblem(400, "request.invalid");
        Assert.True((await ReadJson(result)).GetProperty("errors").TryGetProperty("borrower", out _));
        await AssertNothingWritten(loanId);
    }

    [Fact]
    public async Task A_loan_id_that_exists_is_a_409_and_the_first_loan_is_untouched()
    {
        var loanId = Guid.NewGuid();
        await As(Roles.Supervisor, s => { s.Post.Json(NewLoan(loanId, 12_000m)).ToUrl("/loans"); s.StatusCodeShouldBe(201); });

        var again = await As(Roles.Supervisor, s => { s.Post.Json(NewLoan(loanId, 999m)).ToUrl("/loans"); s.StatusCodeShouldBe(409); });

        await again.ShouldBeProblem(409, "loan.already_exists");
        Assert.Equal(2, await EventCount(loanId));
        var loan = await ReadJson(await As(Roles.Collector, s => s.Get.Url($"/loans/{loanId}")));
        Assert.Equal(12_000m, loan.GetProperty("principal").GetDecimal());
    }

    [Fact]
    public async Task A_currency_other_than_the_products_is_refused() =>
        await (await As(Roles.Supervisor, s =>
        {
            s.Post.Json(new { productCode = "CASH-12M", principal = 1000, currency = "USD",
                borrower = new { id = "B", name = "N", timeZone = "Asia/Shanghai" } }).ToUrl("/loans");
            s.StatusCodeShouldBe(422);
        })).ShouldBeProblem(422, "loan.currency_mismatch");

    [Fact]
    public async Task An_unknown_loan_is_404() =>
        await (await As(Roles.Collector, s => { s.Get.Url($"/loans/{Guid.NewGuid()}"); s.StatusCodeShouldBe(404); }))
            .ShouldBeProblem(404, "loan.not_found");

    [Fact]
    public async Task Risk_analysts_see_the_loan_without_the_borrowers_contact_details_or_national_id()
    {
        var loanId = await DisburseLoan();

        var borrower = (await ReadJson(await As(Roles.RiskAnalyst, s => s.Get.Url($"/loans/{loanId}")))).GetProperty("borrower");

        Assert.Equal(JsonValueKind.Null, borrower.GetProperty("phone").ValueKind);
        Assert.Equal(JsonValueKind.Null, borrower.GetProperty("email").ValueKind);
        Assert.Equal(JsonValueKind.Null, borrower.GetProperty("nationalId").ValueKind);
        Assert.Equal(JsonValueKind.Null, borrower.GetProperty("address").ValueKind);
        await As(Roles.RiskAnalyst, s => { s.Get.Url($"/loans/{loanId}/events"); s.StatusCodeShouldBe(403); });
    }

    private async Task AssertNothingWritten(Guid loanId)
    {
        await using var session = App.Store.QuerySession();
        Assert.Null(await session.Events.FetchStreamStateAsync(loanId));
        Assert.Null(await session.LoadAsync<Loan>(loanId));
        Assert.Equal(0, await session.Query<Loan>().CountAsync());
    }
}
