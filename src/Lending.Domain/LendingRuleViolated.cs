namespace Lending.Domain;

/// <summary>How the API should answer a refused command.</summary>
public enum RefusalKind
{
    /// <summary>The request is well formed but breaks a business rule (422).</summary>
    Unprocessable,
    /// <summary>The request conflicts with the current state of the thing (409).</summary>
    Conflict,
    /// <summary>The thing the request is about does not exist (404).</summary>
    NotFound,
    /// <summary>The actor may not do this (403), e.g. a collector on a loan not assigned to them.</summary>
    Forbidden,
    /// <summary>The service cannot do this now for a reason of its own (503), e.g. a missing font.</summary>
    Unavailable,
}

/// <summary>
/// A command refused by a business rule. <see cref="Code"/> is stable: clients and tests match on it,
/// so a code once shipped is never renamed.
/// </summary>
public class LendingRuleViolated(string code, string detail, RefusalKind kind = RefusalKind.Unprocessable)
    : Exception(detail)
{
    public string Code { get; } = code;
    public RefusalKind Kind { get; } = kind;
}
