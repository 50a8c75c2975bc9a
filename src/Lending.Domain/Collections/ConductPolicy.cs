namespace Lending.Domain.Collections;

/// <summary>The numbers of the conduct profiles (DOMAIN.md "Conduct guard"); configuration, not code.</summary>
public sealed class ConductPolicy
{
    public UsRegFRules UsRegF { get; init; } = new();
    public CnNifaRules CnNifa { get; init; } = new();

    /// <summary>US Regulation F (12 CFR 1006.14, 1006.6).</summary>
    public sealed class UsRegFRules
    {
        /// <summary>Phone attempts allowed within <see cref="AttemptWindowDays"/> consecutive days.</summary>
        public int MaxPhoneAttempts { get; init; } = 7;
        public int AttemptWindowDays { get; init; } = 7;
        /// <summary>No call for this many days counting the day of a phone conversation as day 1.</summary>
        public int ConversationCooldownDays { get; init; } = 7;
        public TimeOnly EarliestLocal { get; init; } = new(8, 0);
        /// <summary>Contact must start before this local time.</summary>
        public TimeOnly LatestLocal { get; init; } = new(21, 0);
    }

    /// <summary>NIFA collection conventions (2018, 2024) and GB/T 45251-2025.</summary>
    public sealed class CnNifaRules
    {
        public TimeOnly EarliestLocal { get; init; } = new(8, 0);
        public TimeOnly LatestLocal { get; init; } = new(22, 0);
        /// <summary>Outbound attempts to the borrower per channel per local day.</summary>
        public int DailyCapPerChannel { get; init; } = 3;
        /// <summary>Third parties only after this many failed attempts to reach the borrower ...</summary>
        public int ThirdPartyAfterFailedAttempts { get; init; } = 3;
        /// <summary>... within this many days, with no successful contact among them.</summary>
        public int ThirdPartyLookbackDays { get; init; } = 7;
    }
}
