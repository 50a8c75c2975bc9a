using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;
using Lending.Domain.Loans.Disbursement;
using Lending.Domain.Products;
using static Lending.Domain.Tests.TestData;

namespace Lending.Domain.Tests.Loans;

public class DisbursementTests
{
    private readonly Specification<Loan> _loan = new(Loan.Evolve);

    private static IEnumerable<object> Decide(DisburseLoan cmd, Loan? existing, Product? product) =>
        DisbursementDecisions.Decide(cmd, existing, product, Today, "supervisor-1", Now);

    [Fact]
    public void A_new_loan_snapshots_the_product_terms()
    {
        var product = CashLoan();
        var disbursed = _loan.When(s => Decide(Disburse(), s, product)).Then<LoanDisbursed>();

        Assert.Equal(product.Terms, disbursed.Terms);
        Assert.Equal(12_000m, disbursed.Principal);
        Assert.Equal("CNY", disbursed.Currency);
        Assert.Equal(Today, disbursed.DisbursedOn);
        Assert.Equal("supervisor-1", disbursed.DisbursedBy);
        Assert.Equal(Now, disbursed.RecordedAt);
        Assert.Equal("East", disbursed.Region);
    }

    [Fact]
    public void The_schedule_is_set_with_the_disbursement()
    {
        var schedule = _loan.When(s => Decide(Disburse(), s, CashLoan())).Then<RepaymentScheduleSet>();

        Assert.Equal(12, schedule.Installments.Count);
        Assert.Equal(new DateOnly(2026, 2, 28), schedule.Installments[0].DueDate);
        Assert.Equal(1_066.19m, schedule.Installments[0].Total);
        Assert.Equal("disbursement", schedule.Reason);
    }

    [Fact]
    public void Editing_the_product_later_does_not_change_the_contract()
    {
        var loan = Decide(Disburse(), null, CashLoan(rate: 0.12m)).Aggregate((Loan?)null, Loan.Evolve)!;

        var repriced = CashLoan(rate: 0.2m);

        Assert.Equal(0.12m, loan.Terms.AnnualRate);
        Assert.NotEqual(repriced.Terms.AnnualRate, loan.Terms.AnnualRate);
    }

    [Fact]
    public void The_disbursed_loan_owes_its_principal_and_is_current()
    {
        var loan = Decide(Disburse(principal: 5_000m), null, CashLoan()).Aggregate((Loan?)null, Loan.Evolve)!;
        var position = LoanPosition.Of(loan, Today);

        Assert.Equal(LoanStatus.Active, loan.Status);
        Assert.Equal(5_000m, position.PrincipalOutstanding);
        Assert.Equal(5_000m, position.TotalOutstanding);
        Assert.Equal(0, position.Dpd);
        Assert.Equal(12, loan.Installments.Count);
        Assert.Equal(5_000m, loan.Installments.Sum(i => i.Principal));
        Assert.Equal(DelinquencyBucket.Current, loan.Bucket);
        Assert.Equal(EscalationStage.None, loan.Stage);
    }

    [Fact]
    public void A_loan_id_that_exists_is_refused() =>
        _loan.Given(Decide(Disburse(), null, CashLoan()))
            .When(s => Decide(Disburse(), s, CashLoan()))
            .ThenRefused("loan.already_exists", RefusalKind.Conflict);

    [Fact]
    public void An_unknown_product_is_refused() =>
        _loan.When(s => Decide(Disburse(), s, product: null)).ThenRefused("loan.unknown_product");

    [Theory]
    [InlineData(0)]
    [InlineData(-0.01)]
    [InlineData(-12000)]
    public void A_principal_that_is_not_positive_is_refused(decimal principal) =>
        _loan.When(s => Decide(Disburse(principal: principal), s, CashLoan())).ThenRefused("loan.principal_not_positive");

    [Fact]
    public void A_principal_with_fractions_of_a_cent_is_refused() =>
        _loan.When(s => Decide(Disburse(principal: 100.005m), s, CashLoan())).ThenRefused("loan.principal_precision");

    [Fact]
    public void The_currency_must_be_the_products() =>
        _loan.When(s => Decide(Disburse(currency: "USD"), s, CashLoan())).ThenRefused("loan.currency_mismatch");

    [Fact]
    public void The_currency_code_is_matched_whatever_its_case() =>
        Assert.Equal("CNY", _loan.When(s => Decide(Disburse(currency: "cny"), s, CashLoan())).Then<LoanDisbursed>().Currency);

    [Fact]
    public void A_loan_cannot_be_disbursed_after_the_business_date() =>
        _loan.When(s => Decide(Disburse(on: Today.AddDays(1)), s, CashLoan())).ThenRefused("loan.disbursed_in_future");

    [Fact]
    public void Back_dating_is_bounded()
    {
        _loan.When(s => Decide(Disburse(on: Today.AddDays(-DisbursementDecisions.MaxBackdatedDays)), s, CashLoan()))
            .Then<LoanDisbursed>();
        _loan.When(s => Decide(Disburse(on: Today.AddDays(-DisbursementDecisions.MaxBackdatedDays - 1)), s, CashLoan()))
            .ThenRefused("loan.disbursed_too_early");
    }

    [Fact]
    public void The_borrowers_time_zone_must_exist() =>
        _loan.When(s => Decide(Disburse(borrower: Borrower("Mars/Olympus_Mons")), s, CashLoan()))
            .ThenRefused("loan.unknown_time_zone");
}
