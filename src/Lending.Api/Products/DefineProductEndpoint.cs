using System.Security.Claims;
using Lending.Api.Auth;
using Lending.Api.Setup;
using Lending.Domain.Escalation;
using Lending.Domain.Products;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Lending.Api.Products;

/// <summary>The body of <c>PUT /products/{code}</c> (API.md "Products"). Rates are fractions: 0.12 = 12%.</summary>
public sealed record ProductRequest(
    string? Name,
    Amortization? Amortization,
    int? Installments,
    PaymentFrequency? Frequency,
    int? TermDays,
    decimal? AnnualRate,
    DayCount? DayCount,
    int? GraceDays,
    decimal? PenaltyMultiplier,
    decimal? LateFee,
    decimal? RateCap,
    ConductProfile? ConductProfile,
    string? Currency,
    IReadOnlyList<Component>? AllocationOrder,
    decimal? ArrearsTolerance,
    IReadOnlyList<LadderStage>? Ladder,
    bool? FeesWithinCap = null);

public static class DefineProductEndpoint
{
    public static ProblemDetails Validate(string code, ProductRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (!ProductCodes.IsValid(code)) errors["code"] = ["A product code is 1-40 letters, digits, '-' or '_'."];
        if (string.IsNullOrWhiteSpace(request.Name)) errors["name"] = ["A name is required."];
        if (request.Amortization is null) errors["amortization"] = ["Amortization is required: annuity, equal_principal or bullet."];
        if (request.AnnualRate is null) errors["annualRate"] = ["The annual rate is required (a fraction: 0.12 = 12%)."];
        if (request.Currency is null || request.Currency.Length != 3 || !request.Currency.All(char.IsAsciiLetter))
            errors["currency"] = ["A three-letter ISO 4217 currency code is required."];
        return errors.Count > 0 ? Problems.Invalid(errors) : WolverineContinue.NoProblems;
    }

    [WolverinePut("/products/{code}", OperationId = "DefineProduct")]
    [Authorize(Roles = Roles.Admin)]
    [Tags("Products")]
    public static ProductResponse Put(string code, ProductRequest request, IDocumentSession session, ClaimsPrincipal user, TimeProvider clock)
    {
        var product = ProductDecisions.Define(new DefineProduct(code, request.Name!.Trim(), request.Amortization!.Value,
            request.Installments, request.Frequency, request.TermDays, request.AnnualRate!.Value, request.DayCount,
            request.GraceDays, request.PenaltyMultiplier, request.LateFee, request.RateCap, request.ConductProfile,
            request.Currency!, request.AllocationOrder, request.ArrearsTolerance,
            request.Ladder is { } ladder ? new EscalationLadder(ladder) : null, request.FeesWithinCap), clock.GetUtcNow(), user.Id());
        session.Store(product);
        return ProductResponse.From(product);
    }
}

public static class ProductCodes
{
    public static bool IsValid(string code) =>
        code.Length is > 0 and <= 40 && code.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
