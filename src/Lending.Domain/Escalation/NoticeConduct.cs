using Lending.Domain.Collections;
using Lending.Domain.Loans;
using Lending.Domain.Products;

namespace Lending.Domain.Escalation;

/// <summary>What the conduct guard says of an automatic notice about to go out.</summary>
public abstract record NoticeVerdict;

/// <param name="Exception">Sent although a rule would forbid a contact, under a documented exception (see <see cref="NoticeConduct"/>).</param>
public sealed record SendNotice(string? Exception = null) : NoticeVerdict;

/// <summary>In the borrower's quiet hours: held until the window opens in their time zone.</summary>
public sealed record HoldNotice(DateTimeOffset Until, string Rule) : NoticeVerdict;

/// <summary>Forbidden (cease-contact, an open complaint, an unverified dispute, a frequency cap): not sent at all.</summary>
public sealed record SuppressNotice(IReadOnlyList<string> Rules) : NoticeVerdict;

/// <summary>
/// The service's own notices obey the same conduct guard as collectors' contacts (<see cref="ConductGuard"/>, one
/// implementation): as an outbound contact to the borrower on the notice's channel, at the moment it would go out.
/// <list type="bullet">
/// <item>Only the quiet hours forbid it: held until the window opens in the borrower's time zone.</item>
/// <item>Anything else forbids it: suppressed.</item>
/// <item>A letter is not delivered at a time of day: quiet hours do not apply to it.</item>
/// <item>Reg F exception (12 CFR 1006.6(c)(2)): after a cease-communication request a collector may still write to
/// notify the consumer that it may invoke, or intends to invoke, a specified remedy. Under <c>US-RegF</c> a demand
/// letter, which names the remedies, goes out despite a cease request (and only that rule): recorded as
/// <see cref="RegFRemedyNotice"/>. <c>CN-NIFA</c> has no such exception.</item>
/// <item>Once a case is filed, the court speaks to the borrower: automatic notices stop unless legal allows them
/// (<see cref="LendingPolicy.NoticesAfterFiling"/>), suppressed under <see cref="CaseFiled"/>.</item>
/// </list>
/// </summary>
public static class NoticeConduct
{
    public const string RegFRemedyNotice = "reg_f.remedy_notice_after_cease";
    public const string CaseFiled = "litigation.case_filed";

    public static NoticeVerdict Judge(Loan loan, Notice notice, ConductPolicy policy, DateTimeOffset at, bool noticesAfterFiling = false)
    {
        if (loan.Litigation is { IsOpen: true, IsFiled: true } && !noticesAfterFiling) return new SuppressNotice([CaseFiled]);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(loan.Borrower.TimeZone);
        var channel = ChannelOf(notice.Channel);
        var broken = ConductGuard.Check(loan.Terms.ConductProfile, policy, loan.Collections, zone,
            new ProposedContact(channel, ContactDirection.Outbound, ContactParty.Borrower, at)).ToList();
        if (channel == ContactChannel.Letter) broken.Remove(ConductGuard.OutsideHours);

        if (broken.Count == 0) return new SendNotice();
        if (broken is [ConductGuard.CeaseContact] && notice.Kind == NoticeKind.DemandLetter && loan.Terms.ConductProfile == ConductProfile.UsRegF)
            return new SendNotice(RegFRemedyNotice);
        if (broken is [ConductGuard.OutsideHours])
            return new HoldNotice(WindowOpens(loan.Terms.ConductProfile, policy, zone, at), ConductGuard.OutsideHours);
        return new SuppressNotice(broken);
    }

    public static ContactChannel ChannelOf(string channel) => channel switch
    {
        "sms" => ContactChannel.Sms,
        "email" => ContactChannel.Email,
        "letter" => ContactChannel.Letter,
        "phone" => ContactChannel.Phone,
        _ => ContactChannel.App,
    };

    /// <summary>The next moment the profile's contact window opens in the borrower's zone.</summary>
    public static DateTimeOffset WindowOpens(ConductProfile profile, ConductPolicy policy, TimeZoneInfo zone, DateTimeOffset at)
    {
        var earliest = profile == ConductProfile.UsRegF ? policy.UsRegF.EarliestLocal : policy.CnNifa.EarliestLocal;
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var day = DateOnly.FromDateTime(local.DateTime);
        if (TimeOnly.FromDateTime(local.DateTime) >= earliest) day = day.AddDays(1);
        var opening = day.ToDateTime(earliest);
        return new DateTimeOffset(opening, zone.GetUtcOffset(opening));
    }
}
