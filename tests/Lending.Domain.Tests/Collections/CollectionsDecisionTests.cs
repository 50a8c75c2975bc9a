using Lending.Domain.Collections;
using Lending.Domain.Loans;
using Lending.Domain.Tests.Loans;

namespace Lending.Domain.Tests.Collections;

/// <summary>The test loan's borrower lives in Asia/Shanghai (CN-NIFA profile); instalment 1 falls due on 15 Feb.</summary>
public class CollectionsDecisionTests
{
    private static readonly DateOnly Today = new(2026, 2, 20);
    private static readonly DateTimeOffset TenAm = new(2026, 2, 20, 2, 0, 0, TimeSpan.Zero); // 10:00 in Shanghai
    private static readonly CollectionsActor Collector = new("agent-7", IsSupervisor: false);
    private static readonly CollectionsActor Supervisor = new("sup-1", IsSupervisor: true);

    private static LoanBuilder AssignedLoan()
    {
        var b = LoanBuilder.Disbursed();
        return b.Then([.. CollectionsDecisions.Assign(b.Loan, AssigneeKind.Collector, "agent-7", Supervisor, Today, TenAm)]);
    }

    private static RecordContact Call(ContactOutcome outcome = ContactOutcome.NoAnswer, DateTimeOffset? at = null, PromiseTerms? promise = null,
        string? overrideReason = null) =>
        new(ContactChannel.Phone, ContactDirection.Outbound, ContactParty.Borrower, outcome, at ?? TenAm, "called", promise, overrideReason);

    private static IReadOnlyList<ILoanEvent> Record(LoanBuilder b, RecordContact cmd, CollectionsActor? actor = null) =>
        CollectionsDecisions.RecordContact(b.Loan, cmd, new ConductPolicy(), actor ?? Collector, Guid.NewGuid(), Guid.NewGuid(), Today, cmd.OccurredAt.AddMinutes(1));

    [Fact]
    public void A_collector_records_contacts_on_loans_in_their_queue_only()
    {
        var contact = Assert.IsType<ContactRecorded>(Assert.Single(Record(AssignedLoan(), Call())));
        Assert.Equal(("agent-7", ContactOutcome.NoAnswer), (contact.Agent, contact.Outcome));

        var refused = Assert.Throws<LendingRuleViolated>(() => Record(AssignedLoan(), Call(), new CollectionsActor("agent-8", false)));
        Assert.Equal(("loan.not_assigned_to_you", RefusalKind.Forbidden), (refused.Code, refused.Kind));
        Assert.Single(Record(AssignedLoan(), Call(), Supervisor));
    }

    [Fact]
    public void A_refused_contact_names_every_rule_and_only_a_supervisor_overrides_it_with_a_reason()
    {
        var late = TenAm.AddHours(13); // 23:00 in Shanghai
        var refused = Assert.Throws<ConductRefused>(() => Record(AssignedLoan(), Call(at: late)));
        Assert.Equal([ConductGuard.OutsideHours], refused.Rules);
        Assert.Equal("conduct.outside_hours", refused.Code);

        Assert.Equal("conduct.override_not_allowed",
            Assert.Throws<LendingRuleViolated>(() => Record(AssignedLoan(), Call(at: late, overrideReason: "asked to call late"))).Code);

        var events = Record(AssignedLoan(), Call(at: late, overrideReason: "Borrower asked to be called after her night shift"), Supervisor);
        var overridden = Assert.IsType<ConductRuleOverridden>(events[0]);
        Assert.Equal([ConductGuard.OutsideHours], overridden.Rules);
        Assert.Equal("sup-1", overridden.OverriddenBy);
        Assert.IsType<ContactRecorded>(events[1]);
    }

    [Fact]
    public void A_promise_supersedes_the_open_one()
    {
        var b = AssignedLoan();
        b.Then([.. Record(b, Call(ContactOutcome.PromiseToPay, promise: new PromiseTerms(500m, Today.AddDays(5))))]);
        var first = b.Loan.Collections.OpenPromise!;

        var events = Record(b, Call(ContactOutcome.PromiseToPay, at: TenAm.AddHours(2), promise: new PromiseTerms(800m, Today.AddDays(7))));

        Assert.Equal(first.PromiseId, Assert.Single(events.OfType<PromiseSuperseded>()).PromiseId);
        Assert.Equal(800m, Assert.Single(events.OfType<PromiseToPayMade>()).Amount);
    }

    [Theory]
    [InlineData(0, "promise.amount_invalid", 0)]
    [InlineData(100, "promise.date_out_of_range", -1)]
    [InlineData(100, "promise.date_out_of_range", 61)]
    public void A_promise_needs_a_positive_amount_and_a_near_date(decimal amount, string code, int days) =>
        Assert.Equal(code, Assert.Throws<LendingRuleViolated>(() =>
            Record(AssignedLoan(), Call(ContactOutcome.PromiseToPay, promise: new PromiseTerms(amount, Today.AddDays(days))))).Code);

    [Fact]
    public void A_promise_is_kept_when_payments_since_it_was_made_cover_it()
    {
        var b = AssignedLoan();
        b.Then([.. Record(b, Call(ContactOutcome.PromiseToPay, promise: new PromiseTerms(600m, Today.AddDays(3))))]);

        Assert.Empty(b.Pay(400m, Today).OfType<PromiseKept>());
        var kept = Assert.Single(b.Pay(200m, Today.AddDays(1 - 1)).OfType<PromiseKept>());

        Assert.Equal(600m, kept.Paid);
        Assert.Null(b.Loan.Collections.OpenPromise);
        Assert.Equal(1, b.Loan.Collections.KeptPromises);
    }

    [Fact]
    public void A_promise_not_covered_by_its_date_is_broken_at_the_next_close_of_business()
    {
        var b = AssignedLoan();
        b.Then([.. Record(b, Call(ContactOutcome.PromiseToPay, promise: new PromiseTerms(600m, Today.AddDays(3))))]);
        b.Pay(100m, Today);

        b.CloseThrough(Today.AddDays(3), from: Today.AddDays(1));
        Assert.NotNull(b.Loan.Collections.OpenPromise); // on its date it can still be kept

        b.CloseThrough(Today.AddDays(4));
        var broken = Assert.Single(b.Events.OfType<PromiseBroken>());
        Assert.Equal((600m, 100m, Today.AddDays(3)), (broken.Amount, broken.Paid, broken.DueOn));
        Assert.Equal(1, b.Loan.Collections.BrokenPromises);
        Assert.Equal(Today.AddDays(4), broken.BusinessDate);
    }

    [Fact]
    public void The_close_of_business_index_covers_an_open_promise_before_the_arrears()
    {
        var b = LoanBuilder.Disbursed(on: new DateOnly(2026, 1, 15)).CloseThrough(new DateOnly(2026, 1, 20));
        b.Then([.. CollectionsDecisions.Assign(b.Loan, AssigneeKind.Collector, "agent-7", Supervisor, new DateOnly(2026, 1, 20), TenAm)]);
        var jan20TenAm = new DateTimeOffset(2026, 1, 20, 2, 0, 0, TimeSpan.Zero); // a call on the business date
        b.Then([.. CollectionsDecisions.RecordContact(b.Loan, Call(ContactOutcome.PromiseToPay, jan20TenAm, new PromiseTerms(50m, new DateOnly(2026, 1, 25))),
            new ConductPolicy(), Collector, Guid.NewGuid(), Guid.NewGuid(), new DateOnly(2026, 1, 20), jan20TenAm.AddHours(1))]);
        Assert.Equal(new DateOnly(2026, 1, 25), b.Loan.CloseOfBusinessDueDate);
    }

    [Fact]
    public void Reassignment_ends_the_previous_assignment_and_the_same_assignee_changes_nothing()
    {
        var b = AssignedLoan();
        Assert.Empty(CollectionsDecisions.Assign(b.Loan, AssigneeKind.Collector, "agent-7", Supervisor, Today, TenAm));

        var events = CollectionsDecisions.Assign(b.Loan, AssigneeKind.Agency, "agency-north", Supervisor, Today, TenAm);
        Assert.Equal(("agent-7", "agency-north"), (Assert.IsType<AssignmentEnded>(events[0]).AssigneeId, Assert.IsType<LoanAssigned>(events[1]).AssigneeId));
        Assert.Equal("assignment.supervisors_only",
            Assert.Throws<LendingRuleViolated>(() => CollectionsDecisions.Assign(b.Loan, AssigneeKind.Collector, "x", Collector, Today, TenAm)).Code);
    }

    [Fact]
    public void Complaints_open_and_resolve_once()
    {
        var b = AssignedLoan();
        var id = Guid.NewGuid();
        b.Then(CollectionsDecisions.LodgeComplaint(b.Loan, "harassment", "called at night", Collector, id, Today, TenAm));
        Assert.Contains(id, b.Loan.Collections.OpenComplaints);

        b.Then(CollectionsDecisions.ResolveComplaint(b.Loan, id, "apologised; calls limited", Supervisor, Today, TenAm));
        Assert.Empty(b.Loan.Collections.OpenComplaints);
        Assert.Equal("complaint.already_resolved",
            Assert.Throws<LendingRuleViolated>(() => CollectionsDecisions.ResolveComplaint(b.Loan, id, "again", Supervisor, Today, TenAm)).Code);
        Assert.Equal("complaint.not_found",
            Assert.Throws<LendingRuleViolated>(() => CollectionsDecisions.ResolveComplaint(b.Loan, Guid.NewGuid(), "x", Supervisor, Today, TenAm)).Code);
    }

    [Fact]
    public void A_cease_contact_request_recorded_twice_is_one_request()
    {
        var b = AssignedLoan();
        b.Then([.. CollectionsDecisions.CeaseContact(b.Loan, "wrote in", Collector, Today, TenAm)]);
        Assert.True(b.Loan.Collections.CeaseContact);
        Assert.Empty(CollectionsDecisions.CeaseContact(b.Loan, "wrote in again", Collector, Today, TenAm));
    }
}
