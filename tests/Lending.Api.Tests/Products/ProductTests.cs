using Lending.Api.Auth;
using Lending.Api.Tests.Infrastructure;

namespace Lending.Api.Tests.Products;

public class ProductTests(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task A_defined_product_is_read_back_with_its_defaults()
    {
        await DefineCashProduct();

        var product = await ReadJson(await As(Roles.Collector, s => s.Get.Url("/products/CASH-12M")));
        Assert.Equal("annuity", product.GetProperty("amortization").GetString());
        Assert.Equal(0.12m, product.GetProperty("annualRate").GetDecimal());
        Assert.Equal("ACT/365", product.GetProperty("dayCount").GetString());
        Assert.Equal(3, product.GetProperty("graceDays").GetInt32());
        Assert.Equal(1.5m, product.GetProperty("penaltyMultiplier").GetDecimal());
        Assert.Equal(0.24m, product.GetProperty("rateCap").GetDecimal());
        Assert.Equal("CN-NIFA", product.GetProperty("conductProfile").GetString());
        Assert.Equal("admin-1", product.GetProperty("updatedBy").GetString());

        var list = await ReadJson(await As(Roles.RiskAnalyst, s => s.Get.Url("/products")));
        Assert.Equal("CASH-12M", Assert.Single(list.EnumerateArray()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Missing_fields_are_named_in_a_400()
    {
        var result = await AsAdmin(s => { s.Put.Json(new { currency = "CNYX" }).ToUrl("/products/P1"); s.StatusCodeShouldBe(400); });
        await result.ShouldBeProblem(400, "request.invalid");
        var errors = (await ReadJson(result)).GetProperty("errors");
        foreach (var field in new[] { "name", "amortization", "annualRate", "currency" })
            Assert.True(errors.TryGetProperty(field, out _), $"{field} not reported");
    }

    [Fact]
    public async Task An_unknown_amortization_is_malformed_input() =>
        await (await AsAdmin(s =>
        {
            s.Put.Json(new { name = "x", amortization = "balloon", annualRate = 0.1, currency = "CNY" }).ToUrl("/products/P1");
            s.StatusCodeShouldBe(400);
        })).ShouldBeProblem(400, "request.malformed");

    [Fact]
    public async Task A_rate_above_the_cap_is_refused_and_nothing_is_stored()
    {
        var result = await AsAdmin(s =>
        {
            s.Put.Json(new { name = "x", amortization = "annuity", installments = 6, annualRate = 0.3, rateCap = 0.24, currency = "CNY" })
                .ToUrl("/products/P1");
            s.StatusCodeShouldBe(422);
        });
        await result.ShouldBeProblem(422, "product.rate_above_cap");
        await AsAdmin(s => { s.Get.Url("/products/P1"); s.StatusCodeShouldBe(404); });
    }

    [Fact]
    public async Task The_waterfall_order_and_arrears_tolerance_are_product_terms()
    {
        await AsAdmin(s => s.Put.Json(new
        {
            name = "Principal first", amortization = "equal_principal", installments = 6, annualRate = 0.1, currency = "CNY",
            allocationOrder = new[] { "principal", "interest", "fees", "penalty" }, arrearsTolerance = 5.5,
        }).ToUrl("/products/PF"));

        var product = await ReadJson(await As(Roles.Collector, s => s.Get.Url("/products/PF")));
        Assert.Equal(["principal", "interest", "fees", "penalty"],
            product.GetProperty("allocationOrder").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(5.5m, product.GetProperty("arrearsTolerance").GetDecimal());

        await (await AsAdmin(s =>
        {
            s.Put.Json(new { name = "x", amortization = "annuity", installments = 6, annualRate = 0.1, currency = "CNY",
                allocationOrder = new[] { "principal", "principal", "fees", "penalty" } }).ToUrl("/products/BAD");
            s.StatusCodeShouldBe(422);
        })).ShouldBeProblem(422, "product.allocation_order_invalid");
    }

    [Fact]
    public async Task An_unknown_product_is_404() =>
        await (await As(Roles.Collector, s => { s.Get.Url("/products/NOPE"); s.StatusCodeShouldBe(404); }))
            .ShouldBeProblem(404, "product.not_found");

    [Fact]
    public async Task Editing_a_product_does_not_change_loans_already_disbursed()
    {
        await DefineCashProduct();
        var loanId = await DisburseLoan();

        await AsAdmin(s =>
        {
            s.Put.Json(new { name = "Repriced", amortization = "annuity", installments = 12, annualRate = 0.2, currency = "CNY" })
                .ToUrl("/products/CASH-12M");
        });

        var loan = await ReadJson(await As(Roles.Collector, s => s.Get.Url($"/loans/{loanId}")));
        Assert.Equal(0.12m, loan.GetProperty("terms").GetProperty("annualRate").GetDecimal());
    }
}
