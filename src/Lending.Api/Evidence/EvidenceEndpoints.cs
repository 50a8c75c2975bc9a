using System.Security.Claims;
using Lending.Api.Auth;
using Lending.Api.BusinessDates;
using Lending.Api.Loans;
using Lending.Domain.Litigation;
using Lending.Domain.Loans;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Lending.Api.Evidence;

public static class GetEvidenceBundleEndpoint
{
    public const string ContentType = "application/zip";

    /// <param name="asOf">The business date the bundle proves the loan as of (today when absent).</param>
    /// <param name="purpose">Why legal pulls it (the case, the court): recorded with the pull.</param>
    [WolverineGet("/loans/{loanId}/evidence-bundle", OperationId = "GetEvidenceBundle")]
    [Authorize(Roles = Roles.Legal)]
    [Tags("Litigation")]
    [ProducesResponseType(typeof(byte[]), StatusCodes.Status200OK, ContentType)]
    public static async Task<IResult> Get(Guid loanId, DateOnly? asOf, string? purpose, IDocumentSession session, BusinessCalendarStore calendars,
        EvidenceBundleService bundles, ClaimsPrincipal user, CancellationToken ct)
    {
        var today = await calendars.TodayAsync(session, ct);
        var stream = await session.Events.FetchStreamAsync(loanId, token: ct);
        if (stream.Count == 0) throw LoanReads.NotFound(loanId);
        var loan = stream.Select(e => e.Data).Aggregate((Loan?)null, Loan.Evolve)!;
        var date = asOf ?? today;
        EvidenceAccess.EnsureMayPull(loan, date, purpose, new LitigationActor(user.Id(), user.IsInRole(Roles.Legal)), today);

        var pulled = await bundles.PullAsync(session, loan, stream, date, purpose!.Trim(), user.Id(), today, ct);
        return Results.File(pulled.Zip, ContentType, $"evidence-{loanId}-{date:yyyy-MM-dd}.zip");
    }
}

/// <summary>One pull of a loan's evidence bundle, as recorded.</summary>
public sealed record EvidencePullResponse(DateOnly AsOf, string Purpose, string PulledBy, DateTimeOffset PulledAt, string ContentRoot,
    string ManifestSha256, long CheckpointTreeSize, long Sequence);

public sealed record EvidencePullsResponse(Guid LoanId, IReadOnlyList<EvidencePullResponse> Pulls);

public static class GetEvidencePullsEndpoint
{
    [WolverineGet("/loans/{loanId}/evidence-bundle/pulls", OperationId = "GetEvidencePulls")]
    [Authorize(Roles = Roles.Legal + "," + Roles.SupervisorOrAdmin)]
    [Tags("Litigation")]
    [ProducesResponseType<EvidencePullsResponse>(StatusCodes.Status200OK)]
    public static async Task<EvidencePullsResponse> Get(Guid loanId, IQuerySession session, CancellationToken ct)
    {
        if (await session.LoadAsync<Loan>(loanId, ct) is null) throw LoanReads.NotFound(loanId);
        var pulls = await session.Events.FetchStreamAsync(EvidenceAccess.StreamFor(loanId), token: ct);
        return new EvidencePullsResponse(loanId, pulls.Where(e => e.Data is EvidenceBundlePulled).Select(e =>
        {
            var p = (EvidenceBundlePulled)e.Data;
            return new EvidencePullResponse(p.AsOf, p.Purpose, p.PulledBy, p.PulledAt, p.ContentRoot, p.ManifestSha256, p.CheckpointTreeSize, e.Sequence);
        }).ToList());
    }
}
