using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;
using Lending.Domain.Loans.Payments;
using Lending.Domain.Products;

namespace Lending.Domain.Tests.Loans;

public class WaterfallTests
{
    private static readonly DateOnly Disbursed = new(2026, 1, 15);

    [Fact]
    public void A_payment_settles_the_oldest_instalment_first_penalty_then_fees_then_interest_then_principal()
    {
        // 6,000 at 12% over 6 months: instalment 1 is 1,000 principal + 60 interest, due 15 Feb.
        var loan = LoanBuilder.Disbursed(6_000m, installments: 6, amortization: Amortization.EqualPrincipal, lateFee: 25m)
            .CloseThrough(new DateOnly(2026, 3, 1));
        var before = loan.Loan.Installments[0];
        Assert.Equal(25m, before.Fees);
        Assert.True(before.Penalty > 0m);

        var result = Waterfall.Allocate(loan.Loan, before.Penalty + 25m + 30m, new DateOnly(2026, 3, 1));

        var line = Assert.Single(result.Lines);
        Assert.Equal((1, before.Penalty, 25m, 30m, 0m), (line.Installment, line.Penalty, line.Fees, line.Interest, line.Principal));
        Assert.Equal(0m, result.Overpayment);
    }

    [Fact]
    public void The_product_can_put_principal_first()
    {
        var loan = LoanBuilder.Disbursed(6_000m, installments: 6, amortization: Amortization.EqualPrincipal,
                order: [Component.Principal, Component.Interest, Component.Fees, Component.Penalty])
            .CloseThrough(new DateOnly(2026, 2, 25));

        var result = Waterfall.Allocate(loan.Loan, 1_010m, new DateOnly(2026, 2, 25));

        var line = Assert.Single(result.Lines);
        Assert.Equal((1_000m, 10m, 0m), (line.Principal, line.Interest, line.Penalty));
    }

    [Fact]
    public void An_overpayment_prepays_later_principal_nearest_first_and_waives_its_interest()
    {
        var loan = LoanBuilder.Disbursed(6_000m, installments: 6, amortization: Amortization.EqualPrincipal).Loan;

        // On 20 Feb: instalment 1 (due 15 Feb) is due, instalment 2 is the current period (begun 16 Feb).
        var result = Waterfall.Allocate(loan, 1_060m + 1_050m + 1_500m, new DateOnly(2026, 2, 20));

        Assert.Collection(result.Lines,
            l => Assert.Equal((1, 60m, 1_000m, 0m), (l.Installment, l.Interest, l.Principal, l.InterestWaived)),
            l => Assert.Equal((2, 50m, 1_000m, 0m), (l.Installment, l.Interest, l.Principal, l.InterestWaived)),
            l => Assert.Equal((3, 0m, 1_000m, 40m), (l.Installment, l.Interest, l.Principal, l.InterestWaived)),
            l => Assert.Equal((4, 0m, 500m, 0m), (l.Installment, l.Interest, l.Principal, l.InterestWaived)));
        Assert.Equal(0m, result.Overpayment);
    }

    [Fact]
    public void On_the_disbursement_day_no_interest_is_owed_and_the_principal_alone_closes_the_loan()
    {
        var builder = LoanBuilder.Disbursed(1_000m, installments: 3);
        Assert.Equal(1_000m, LoanPosition.Of(builder.Loan, Disbursed).TotalOutstanding);

        var events = builder.Pay(1_000m, Disbursed);

        Assert.Contains(events, e => e is LoanPaidOff);
        Assert.Equal(LoanStatus.PaidOff, builder.Loan.Status);
    }

    [Fact]
    public void Paying_more_than_everything_leaves_an_overpayment_to_refund()
    {
        var loan = LoanBuilder.Disbursed(1_000m, installments: 3).Loan;
        var result = Waterfall.Allocate(loan, 1_200m, new DateOnly(2026, 1, 20));

        Assert.Equal(1_000m + 10m, result.Lines.Sum(l => l.Total)); // principal and the current month's interest
        Assert.Equal(190m, result.Overpayment);
    }

    public static Arbitrary<(int Cents, int DaysAfter, int Installments)> Payments() =>
        (from cents in Gen.Choose(1, 2_000_000)
         from days in Gen.Choose(0, 400)
         from n in Gen.Choose(1, 24)
         select (cents, days, n)).ToArbitrary();

    [Property(Arbitrary = [typeof(WaterfallTests)], MaxTest = 300)]
    public bool Allocation_parts_and_overpayment_sum_to_the_payment_and_nothing_goes_negative((int Cents, int DaysAfter, int Installments) p)
    {
        var builder = LoanBuilder.Disbursed(10_000m, installments: p.Installments, lateFee: 15m);
        var paidOn = Disbursed.AddDays(p.DaysAfter);
        builder.CloseThrough(paidOn);
        var amount = p.Cents / 100m;

        var result = Waterfall.Allocate(builder.Loan, amount, paidOn);
        var after = Loan.Evolve(builder.Loan, new PaymentReceived(builder.Loan.Id, "r", amount, paidOn, result.Lines,
            result.Overpayment, "c", TestData.Now, paidOn));

        return result.Lines.Sum(l => l.Total) + result.Overpayment == amount
            && result.Overpayment >= 0m
            && result.Lines.All(l => l.Penalty >= 0m && l.Fees >= 0m && l.Interest >= 0m && l.Principal >= 0m && l.InterestWaived >= 0m)
            && after.Installments.All(i => i.PrincipalDue >= 0m && i.InterestDue >= 0m && i.PenaltyDue >= 0m && i.FeesDue >= 0m)
            && LoanPosition.Of(after, paidOn).TotalOutstanding >= 0m
            && (result.Overpayment == 0m || LoanPosition.Of(after, paidOn).TotalOutstanding == 0m);
    }
}
