namespace Lending.Api.Auth;

/// <summary>The five roles of the API contract, as they appear in a token's <c>role</c> claim.</summary>
public static class Roles
{
    public const string Collector = "collector";
    public const string Supervisor = "supervisor";
    public const string RiskAnalyst = "risk_analyst";
    public const string Legal = "legal";
    public const string Admin = "admin";

    public static readonly IReadOnlySet<string> All = new HashSet<string> { Collector, Supervisor, RiskAnalyst, Legal, Admin };

    public const string SupervisorOrAdmin = Supervisor + "," + Admin;
    public const string Anyone = Collector + "," + Supervisor + "," + RiskAnalyst + "," + Legal + "," + Admin;
    /// <summary>Roles that may see borrower identity and contact details (not risk analysts).</summary>
    public const string Analysts = RiskAnalyst + "," + Supervisor + "," + Admin;
    public const string CaseHandlers = Collector + "," + Supervisor + "," + Legal + "," + Admin;
}
