using Lending.Domain.Products;
using static Lending.Domain.Tests.TestData;

namespace Lending.Domain.Tests.Products;

public class ProductDefinitionTests
{
    private static DefineProduct Annuity(decimal rate = 0.18m, decimal? cap = null, int? installments = 12) =>
        new("P", "Product", Amortization.Annuity, installments, null, null, rate, null, null, null, null, cap, null, "cny");

    [Fact]
    public void Omitted_terms_take_the_documented_defaults()
    {
        var terms = ProductDecisions.Define(Annuity(), Now, "admin").Terms;

        Assert.Equal(DayCount.Act365, terms.DayCount);
        Assert.Equal(3, terms.GraceDays);
        Assert.Equal(1.5m, terms.PenaltyMultiplier);
        Assert.Equal(0m, terms.LateFee);
        Assert.Equal(0.24m, terms.RateCap);
        Assert.Equal(PaymentFrequency.Monthly, terms.Frequency);
        Assert.Equal("CNY", terms.Currency);
    }

    [Fact]
    public void A_contract_rate_above_the_cap_is_refused()
    {
        var refused = Assert.Throws<LendingRuleViolated>(() => ProductDecisions.Define(Annuity(rate: 0.25m), Now, "admin"));
        Assert.Equal("product.rate_above_cap", refused.Code);
        Assert.Equal(0.24m, ProductDecisions.Define(Annuity(rate: 0.24m), Now, "admin").Terms.AnnualRate);
    }

    [Fact]
    public void Instalment_products_need_instalments() =>
        Assert.Equal("product.installments_required",
            Assert.Throws<LendingRuleViolated>(() => ProductDecisions.Define(Annuity(installments: 0), Now, "admin")).Code);

    [Fact]
    public void Bullet_products_need_a_term_in_days_and_have_no_instalments()
    {
        var bullet = new DefineProduct("B", "Bullet", Amortization.Bullet, 12, PaymentFrequency.Weekly, null, 0.2m,
            null, null, null, null, null, null, "USD");
        Assert.Equal("product.term_days_required",
            Assert.Throws<LendingRuleViolated>(() => ProductDecisions.Define(bullet, Now, "admin")).Code);

        var terms = ProductDecisions.Define(bullet with { TermDays = 30 }, Now, "admin").Terms;
        Assert.Equal(30, terms.TermDays);
        Assert.Null(terms.Installments);
        Assert.Null(terms.Frequency);
    }
}
