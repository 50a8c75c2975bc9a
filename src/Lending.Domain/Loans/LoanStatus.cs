using System.Text.Json.Serialization;

namespace Lending.Domain.Loans;

public enum LoanStatus { Active, Overdue, Restructured, Litigation, PaidOff, Settled, WrittenOff }

/// <summary>Delinquency buckets by DPD (DOMAIN.md "Buckets").</summary>
public enum DelinquencyBucket
{
    [JsonStringEnumMemberName("current")] Current,
    [JsonStringEnumMemberName("M1")] M1,
    [JsonStringEnumMemberName("M2")] M2,
    [JsonStringEnumMemberName("M3")] M3,
    [JsonStringEnumMemberName("M4")] M4,
    [JsonStringEnumMemberName("M5")] M5,
    [JsonStringEnumMemberName("M6")] M6,
    [JsonStringEnumMemberName("M6+")] M6Plus,
}

/// <summary>Escalation ladder stages (DOMAIN.md "Escalation ladder").</summary>
public enum EscalationStage { None, Reminder, EarlyCollection, LateCollection, Demand, LegalReview, WriteOff }
