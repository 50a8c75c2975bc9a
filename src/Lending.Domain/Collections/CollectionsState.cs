namespace Lending.Domain.Collections;

/// <summary>A contact as the conduct guard needs to remember it.</summary>
public sealed record ContactAttempt(Guid ContactId, ContactChannel Channel, ContactDirection Direction, ContactParty Party,
    ContactOutcome Outcome, DateTimeOffset OccurredAt);

public sealed record Promise(Guid PromiseId, decimal Amount, DateOnly DueOn, DateOnly MadeOn, decimal Paid);

public sealed record Assignment(AssigneeKind Kind, string AssigneeId, DateOnly Since);

/// <summary>The collections side of a loan: contacts, the open promise, complaints, cease-contact, assignment.</summary>
public sealed record CollectionsState(
    IReadOnlyList<ContactAttempt> Contacts,
    Promise? OpenPromise,
    int BrokenPromises,
    int KeptPromises,
    IReadOnlyList<Guid> OpenComplaints,
    IReadOnlyList<Guid> ResolvedComplaints,
    bool CeaseContact,
    Assignment? Assignment,
    bool DisputeUnverified = false,
    int EpisodeBrokenPromises = 0,
    IReadOnlyList<ContactAttempt>? Notices = null)
{
    /// <summary>Every outbound attempt the conduct caps count: collectors' contacts and the service's own notices.</summary>
    public IEnumerable<ContactAttempt> Attempts => Notices is null ? Contacts : Contacts.Concat(Notices);

    /// <summary>Promises broken since the loan last fell behind (a cure starts a new delinquency episode).</summary>
    public CollectionsState NewEpisode() => this with { EpisodeBrokenPromises = 0 };

    public static readonly CollectionsState Empty = new([], null, 0, 0, [], [], false, null);

    public CollectionsState Apply(object e) => e switch
    {
        ContactRecorded c => this with
        {
            Contacts = [.. Contacts, new ContactAttempt(c.ContactId, c.Channel, c.Direction, c.Party, c.Outcome, c.OccurredAt)],
            DisputeUnverified = DisputeUnverified || (c.Outcome == ContactOutcome.Dispute && c.Party == ContactParty.Borrower),
        },
        DisputeVerificationSent => this with { DisputeUnverified = false },
        Escalation.NoticeSent n => this with
        {
            Notices = [.. Notices ?? [], new ContactAttempt(NoticeContactId(n.NoticeId), Escalation.NoticeConduct.ChannelOf(n.Channel),
                ContactDirection.Outbound, ContactParty.Borrower, ContactOutcome.LeftMessage, n.SentAt)],
        },
        PromiseToPayMade p => this with { OpenPromise = new Promise(p.PromiseId, p.Amount, p.DueOn, p.BusinessDate, 0m) },
        PromiseSuperseded s when OpenPromise?.PromiseId == s.PromiseId => this with { OpenPromise = null },
        PromiseKept k when OpenPromise?.PromiseId == k.PromiseId => this with { OpenPromise = null, KeptPromises = KeptPromises + 1 },
        PromiseBroken b when OpenPromise?.PromiseId == b.PromiseId => this with
        {
            OpenPromise = null, BrokenPromises = BrokenPromises + 1, EpisodeBrokenPromises = EpisodeBrokenPromises + 1,
        },
        ComplaintLodged l => this with { OpenComplaints = [.. OpenComplaints, l.ComplaintId] },
        ComplaintResolved r => this with
        {
            OpenComplaints = OpenComplaints.Where(id => id != r.ComplaintId).ToArray(),
            ResolvedComplaints = [.. ResolvedComplaints, r.ComplaintId],
        },
        CeaseContactRequested => this with { CeaseContact = true },
        LoanAssigned a => this with { Assignment = new Assignment(a.Kind, a.AssigneeId, a.BusinessDate) },
        AssignmentEnded => this with { Assignment = null },
        _ => this,
    };

    private static Guid NoticeContactId(string noticeId) =>
        new(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(noticeId)));

    /// <summary>A payment counts towards the open promise when made on or after the day it was made.</summary>
    public CollectionsState PaymentReceived(decimal amount, DateOnly paidOn) =>
        OpenPromise is { } p && paidOn >= p.MadeOn ? this with { OpenPromise = p with { Paid = p.Paid + amount } } : this;
}
