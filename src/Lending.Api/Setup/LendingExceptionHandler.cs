using System.Text.Json;
using Lending.Domain;
using Lending.Domain.Collections;
using JasperFx;
using JasperFx.Events;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Lending.Api.Setup;

/// <summary>
/// Turns every failure into RFC 9457 ProblemDetails with a stable <c>code</c>: rule refusals, concurrency
/// conflicts and malformed requests are the client's to fix, never a 500.
/// </summary>
internal sealed class LendingExceptionHandler(IProblemDetailsService problems, ILogger<LendingExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var problem = Describe(Unwrap(exception));
        if (problem.Status >= 500)
            logger.LogError(exception, "Unhandled failure on {Method} {Path}", http.Request.Method, http.Request.Path);

        http.Response.StatusCode = problem.Status ?? 500;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    private static Exception Unwrap(Exception e) => e is AggregateException { InnerExceptions.Count: 1 } a ? Unwrap(a.InnerExceptions[0]) : e;

    internal static ProblemDetails Describe(Exception exception) => exception switch
    {
        ConductRefused c => Problems.Create(StatusCodes.Status422UnprocessableEntity, c.Code, c.Message, violations: c.Rules),
        LendingRuleViolated v => Problems.Create(v.Kind switch
        {
            RefusalKind.Conflict => StatusCodes.Status409Conflict,
            RefusalKind.NotFound => StatusCodes.Status404NotFound,
            RefusalKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
            RefusalKind.Forbidden => StatusCodes.Status403Forbidden,
            _ => StatusCodes.Status422UnprocessableEntity,
        }, v.Code, v.Message),
        ConcurrencyException or EventStreamUnexpectedMaxEventIdException => Problems.Create(StatusCodes.Status409Conflict,
            "concurrency.conflict", "Someone else changed this at the same time; reload and try again."),
        // A payment reference already used on the loan, refused by the database (a path appending without an expected
        // version; the API's own appends meet the stream version check first): a retry gets the original answer.
        _ when PaymentReferenceTaken(exception) => Problems.Create(StatusCodes.Status409Conflict,
            "concurrency.conflict", "This payment reference was being recorded at the same time; retry to get its answer."),
        ExistingStreamIdCollisionException => Problems.Create(StatusCodes.Status409Conflict,
            "loan.already_exists", "A loan with this id already exists."),
        BadHttpRequestException { InnerException: JsonException j } => Malformed(j),
        JsonException j => Malformed(j),
        BadHttpRequestException b => Problems.Create(b.StatusCode, "request.malformed", b.Message),
        _ => Problems.Create(StatusCodes.Status500InternalServerError, "server.error", "An unexpected error occurred."),
    };

    /// <summary>A payment reference another writer recorded first on the loan (the database's unique index refused it).</summary>
    internal static bool PaymentReferenceTaken(Exception e) =>
        (e as Npgsql.PostgresException ?? e.InnerException as Npgsql.PostgresException) is
        { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation, ConstraintName: Lending.Projections.Loans.PaymentReferences.ConstraintName };

    private static ProblemDetails Malformed(JsonException j) =>
        Problems.Create(StatusCodes.Status400BadRequest, "request.malformed",
            $"The request body is not valid JSON for this endpoint{(j.Path is { } p ? $" (at {p})" : "")}.");
}
