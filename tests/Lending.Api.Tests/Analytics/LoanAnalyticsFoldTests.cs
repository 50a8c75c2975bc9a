using Lending.Domain.Collections;
using Lending.Domain.Escalation;
using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;
using Lending.Domain.Loans.Disbursement;
using Lending.Domain.Loans.Payments;
using Lending.Domain.Products;
using Lending.Projections.Analytics;

namespace Lending.Api.Tests.Analytics;

/// <summary>The analytics fold over a loan's events, without a database.</summary>
public class LoanAnalyticsFoldTests
{
    [Fact]
    public void A_promise_a_value_dated_payment_shows_was_kept_moves_from_broken_to_kept_for_its_collector()
    {
        var now = new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero);
        var jan15 = new DateOnly(2026, 1, 15);
        var product = ProductDecisions.Define(new DefineProduct("P", "P", Amortization.Annuity, 12, PaymentFrequency.Monthly, null, 0.12m,
            null, null, null, null, null, null, "CNY"), now, "admin");
        var loanId = Guid.NewGuid();
        var events = new List<ILoanEvent>(DisbursementDecisions.Decide(new DisburseLoan(loanId, "P", 12_000m, "CNY", jan15,
            new Borrower("B", "Wang Fang", null, null, null, "Asia/Shanghai", null), null, null), null, product, jan15, "sup", now));
        Loan Loan() => events.Aggregate((Loan?)null, (l, e) => Lending.Domain.Loans.Loan.Evolve(l, e))!;
        void Close(DateOnly from, DateOnly through)
        {
            for (var d = from; d <= through; d = d.AddDays(1))
                events.AddRange(LoanCloseOfBusiness.Decide(Loan(), d, BucketPolicy.Default, EscalationLadder.Default));
        }

        var promiseId = Guid.NewGuid();
        Close(jan15.AddDays(1), new DateOnly(2026, 2, 20));
        events.Add(new PromiseToPayMade(loanId, promiseId, Guid.NewGuid(), 1_066.19m, new DateOnly(2026, 2, 22), "agent-7", new DateOnly(2026, 2, 20)));
        Close(new DateOnly(2026, 2, 21), new DateOnly(2026, 2, 24)); // broken at close of business for 23 Feb
        events.AddRange(PaymentDecisions.Decide(new RecordPayment("bank-0222", 1_070m, new DateOnly(2026, 2, 22)), Loan(),
            new DateOnly(2026, 2, 24), BucketPolicy.Default, new CollectionsActor("sup-1", true), now, PaymentPolicy.Default, [.. events]));
        Assert.Contains(events, e => e is LedgerRefigured r && r.PromisesKept.Contains(promiseId));

        var changes = new AnalyticsChanges();
        events.Aggregate((LoanAnalytics?)null, (a, e) => LoanAnalyticsFold.Apply(a, e, changes));

        var agent = changes.Collectors.Where(c => c.Key.Assignee == "agent-7").Select(c => c.Value).ToList();
        Assert.Equal((1, 1, 0), (agent.Sum(x => x.PromisesMade), agent.Sum(x => x.PromisesKept), agent.Sum(x => x.PromisesBroken)));
    }
}
