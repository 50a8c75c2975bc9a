using Microsoft.AspNetCore.Mvc;

namespace Lending.Api.Setup;

/// <summary>Builds the ProblemDetails every endpoint answers with: the stable code is both the type and <c>code</c>.</summary>
public static class Problems
{
    public const string TypeBase = "https://lending.example/problems/";

    public static ProblemDetails Create(int status, string code, string detail, IDictionary<string, string[]>? errors = null,
        IReadOnlyList<string>? violations = null)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Type = TypeBase + code,
            Title = code,
            Detail = detail,
        };
        problem.Extensions["code"] = code;
        if (errors is { Count: > 0 }) problem.Extensions["errors"] = errors;
        if (violations is { Count: > 0 }) problem.Extensions["violations"] = violations;
        return problem;
    }

    /// <summary>
    /// Gives problems written by the framework (authentication, routing, Wolverine's JSON reader) a stable code too,
    /// so a client can always match on <c>code</c>.
    /// </summary>
    public static void EnsureCode(ProblemDetails problem)
    {
        if (problem.Extensions.ContainsKey("code")) return;
        var code = problem switch
        {
            { Title: "Invalid JSON format" } => "request.malformed",
            { Status: StatusCodes.Status400BadRequest } => "request.invalid",
            { Status: StatusCodes.Status401Unauthorized } => "auth.unauthenticated",
            { Status: StatusCodes.Status403Forbidden } => "auth.forbidden",
            { Status: StatusCodes.Status404NotFound } => "not_found",
            { Status: StatusCodes.Status405MethodNotAllowed } => "request.method_not_allowed",
            { Status: StatusCodes.Status409Conflict } => "conflict",
            { Status: StatusCodes.Status412PreconditionFailed } => "concurrency.stale_version",
            { Status: StatusCodes.Status415UnsupportedMediaType } => "request.unsupported_media_type",
            { Status: >= 500 } => "server.error",
            _ => "request.failed",
        };
        problem.Extensions["code"] = code;
    }

    /// <summary>A request whose shape is wrong (missing or malformed fields).</summary>
    public static ProblemDetails Invalid(IDictionary<string, string[]> errors) =>
        Create(StatusCodes.Status400BadRequest, "request.invalid", "The request has invalid fields.", errors);
}
