using Lending.Domain.Loans;

namespace Lending.Domain.Escalation;

/// <summary>What happens automatically when a loan enters a stage.</summary>
public enum EscalationAction { ReminderNotice, AssignCollectorQueue, AssignSeniorQueue, DemandLetter, LegalReferral, WriteOffProposal }

/// <summary>
/// One rung of the ladder: entered when any of its conditions holds — DPD at least <see cref="MinDpd"/>, DPD past
/// the product's grace (<see cref="AfterGrace"/>), at least <see cref="MinBrokenPromises"/> broken promises, a breach of a
/// restructured plan (<see cref="OnPlanBreach"/>).
/// </summary>
public sealed record LadderStage(EscalationStage Stage, EscalationAction Action, int? MinDpd = null, bool AfterGrace = false,
    int? MinBrokenPromises = null, bool OnPlanBreach = false);

/// <summary>
/// The escalation ladder (DOMAIN.md); stages are configuration, and only move forward except a cure.
/// <see cref="CureStartsNewEpisode"/>: broken promises and a plan breach count within the delinquency episode they
/// belong to (a cure starts a new one), so promises broken last year do not push this year's first day late.
/// </summary>
public sealed record EscalationLadder(IReadOnlyList<LadderStage> Stages, bool CureStartsNewEpisode = true)
{
    public int BrokenPromisesOf(Loan loan) =>
        CureStartsNewEpisode ? loan.Collections.EpisodeBrokenPromises : loan.Collections.BrokenPromises;

    public bool PlanBreachedOf(Loan loan) =>
        CureStartsNewEpisode ? loan.Restructuring.EpisodeBreached : loan.Restructuring.PlanBreached;

    public static readonly EscalationLadder Default = new([
        new(EscalationStage.Reminder, EscalationAction.ReminderNotice, MinDpd: 1),
        new(EscalationStage.EarlyCollection, EscalationAction.AssignCollectorQueue, AfterGrace: true),
        new(EscalationStage.LateCollection, EscalationAction.AssignSeniorQueue, MinDpd: 31, MinBrokenPromises: 2),
        new(EscalationStage.Demand, EscalationAction.DemandLetter, MinDpd: 61),
        new(EscalationStage.LegalReview, EscalationAction.LegalReferral, MinDpd: 91, OnPlanBreach: true),
        new(EscalationStage.WriteOff, EscalationAction.WriteOffProposal, MinDpd: 180),
    ]);

    /// <summary>The DPD a loan must still have for a proposal the ladder made at <paramref name="stage"/> (1 without one).</summary>
    public int MinDpdOf(EscalationStage stage) => Stages.FirstOrDefault(s => s.Stage == stage)?.MinDpd ?? 1;
}
