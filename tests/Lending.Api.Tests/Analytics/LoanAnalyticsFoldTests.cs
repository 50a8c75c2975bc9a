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
    private static readonly DateTimeOffset Now = new(2026, 1, 15, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Jan15 = new(2026, 1, 15);

    /// <summary>A 12,000 CNY annuity over 12 months, disbursed on 15 January 2026.</summary>
    private static List<ILoanEvent> Disbursed(Borrower borrower)
    {
        var product = ProductDecisions.Define(new DefineProduct("P", "P", Amortization.Annuity, 12, PaymentFrequency.Monthly, null, 0.12m,
            null, null, null, null, null, null, "CNY"), Now, "admin");
        return [.. DisbursementDecisions.Decide(new DisburseLoan(Guid.NewGuid(), "P", 12_000m, "CNY", Jan15, borrower, null, null),
            null, product, Jan15, "sup", Now)];
    }

    [Fact]
    public void A_promise_a_value_dated_payment_shows_was_kept_moves_from_broken_to_kept_for_its_collector()
    {
        var events = Disbursed(new Borrower("B", "Wang Fang", null, null, null, "Asia/Shanghai", null));
        var loanId = events[0].LoanId;
        Loan Loan() => events.Aggregate((Loan?)null, (l, e) => Lending.Domain.Loans.Loan.Evolve(l, e))!;
        void Close(DateOnly from, DateOnly through)
        {
            for (var d = from; d <= through; d = d.AddDays(1))
                events.AddRange(LoanCloseOfBusiness.Decide(Loan(), d, BucketPolicy.Default, EscalationLadder.Default));
        }

        var promiseId = Guid.NewGuid();
        Close(Jan15.AddDays(1), new DateOnly(2026, 2, 20));
        events.Add(new PromiseToPayMade(loanId, promiseId, Guid.NewGuid(), 1_066.19m, new DateOnly(2026, 2, 22), "agent-7", new DateOnly(2026, 2, 20)));
        Close(new DateOnly(2026, 2, 21), new DateOnly(2026, 2, 24)); // broken at close of business for 23 Feb
        events.AddRange(PaymentDecisions.Decide(new RecordPayment("bank-0222", 1_070m, new DateOnly(2026, 2, 22)), Loan(),
            new DateOnly(2026, 2, 24), BucketPolicy.Default, new CollectionsActor("sup-1", true), Now, PaymentPolicy.Default, [.. events]));
        Assert.Contains(events, e => e is LedgerRefigured r && r.PromisesKept.Contains(promiseId));

        var changes = new AnalyticsChanges();
        events.Aggregate((LoanAnalytics?)null, (a, e) => LoanAnalyticsFold.Apply(a, e, changes));

        var agent = changes.Collectors.Where(c => c.Key.Assignee == "agent-7").Select(c => c.Value).ToList();
        Assert.Equal((1, 1, 0), (agent.Sum(x => x.PromisesMade), agent.Sum(x => x.PromisesKept), agent.Sum(x => x.PromisesBroken)));
    }

    [Fact]
    public void The_analytics_copy_of_a_loan_keeps_no_borrower_identity_or_conversation_and_prices_the_loan_as_the_loan_itself_does()
    {
        var borrower = new Borrower("C-77", "Wang Fang", "+86-139-0000-1111", "wang@example.com", "NID-310101", "Asia/Shanghai", "9 Lane 3, Shanghai");
        var events = Disbursed(borrower);
        var loanId = events[0].LoanId;
        Loan Loan() => events.Aggregate((Loan?)null, (l, e) => Lending.Domain.Loans.Loan.Evolve(l, e))!;
        var analytics = events.Aggregate((LoanAnalytics?)null, (a, e) => LoanAnalyticsFold.Apply(a, e, new AnalyticsChanges()));
        void Add(ILoanEvent e)
        {
            events.Add(e);
            analytics = LoanAnalyticsFold.Apply(analytics, e, new AnalyticsChanges());
        }
        for (var d = Jan15.AddDays(1); d <= new DateOnly(2026, 4, 30); d = d.AddDays(1))
        {
            foreach (var e in LoanCloseOfBusiness.Decide(Loan(), d, BucketPolicy.Default, EscalationLadder.Default)) Add(e);
            if (d == new DateOnly(2026, 2, 20)) Add(new LoanAssigned(loanId, AssigneeKind.Collector, "agent-7", "sup", Now, d));
            if (d.Day % 4 == 0 && d > new DateOnly(2026, 2, 20))
                Add(new ContactRecorded(loanId, Guid.NewGuid(), ContactChannel.Phone, ContactDirection.Outbound, ContactParty.Borrower,
                    ContactOutcome.RightPartyContact, Now, "Wang Fang says she lost her job at 9 Lane 3", "agent-7", Now, d));
            if (d == new DateOnly(2026, 3, 10))
                Add(new NoticeSent(loanId, "n-1", NoticeKind.Reminder, "sms", borrower.Phone!, "Dear Wang Fang", EscalationStage.Reminder, Now, d));
            if (d == new DateOnly(2026, 3, 20))
                Add(new PromiseToPayMade(loanId, Guid.NewGuid(), Guid.NewGuid(), 500m, new DateOnly(2026, 3, 25), "agent-7", d));
        }
        var loan = Loan();
        Assert.True(loan.Collections.Contacts.Count > 10);

        var kept = analytics!.Loan;
        Assert.Equal(new Borrower("", "", null, null, null, "Asia/Shanghai", null), kept.Borrower);
        Assert.Empty(kept.Collections.Contacts);
        Assert.Null(kept.Collections.Notices);
        Assert.Empty(kept.CompletedActions);
        (string Assignee, Promise? Promise, LoanStatus, DelinquencyBucket, EscalationStage, long) Standing(Loan l) =>
            (l.AssignedTo!, l.Collections.OpenPromise, l.Status, l.Bucket, l.Stage, l.Version);
        Assert.Equal(Standing(loan), Standing(kept));
        for (var d = Jan15; d <= new DateOnly(2026, 12, 31); d = d.AddDays(1))
            Assert.Equal(LoanPosition.Of(loan, d), LoanPosition.Of(kept, d));
    }
}
