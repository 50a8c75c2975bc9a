using System.Security.Claims;
using Lending.Api.Setup;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Wolverine.Http;

namespace Lending.Api.Auth;

public sealed record IssueDevToken(string? Subject, string[]? Roles);

public sealed record DevToken(string Token, DateTimeOffset ExpiresAt);

/// <summary>
/// <c>POST /dev/token</c>: signs a token for any subject and roles. Development only: it is off unless
/// <c>Lending:Auth:DevTokens</c> is true, and then answers 404 as if it did not exist.
/// </summary>
public static class IssueDevTokenEndpoint
{
    public static ProblemDetails Validate(IssueDevToken request, IOptions<LendingOptions> options)
    {
        if (!options.Value.Auth.DevTokens)
            return Problems.Create(StatusCodes.Status404NotFound, "dev_tokens.disabled", "Development tokens are disabled.");

        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Subject)) errors["subject"] = ["A subject is required."];
        if (request.Roles is null || request.Roles.Length == 0) errors["roles"] = ["At least one role is required."];
        else if (request.Roles.FirstOrDefault(r => !Roles.All.Contains(r)) is { } unknown)
            errors["roles"] = [$"Unknown role '{unknown}'; roles are {string.Join(", ", Roles.All)}."];
        return errors.Count > 0 ? Problems.Invalid(errors) : WolverineContinue.NoProblems;
    }

    [AllowAnonymous]
    [WolverinePost("/dev/token", OperationId = "IssueDevToken")]
    [Tags("Development")]
    public static DevToken Post(IssueDevToken request, TokenSigning signing, IOptions<LendingOptions> options, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var expires = now.AddMinutes(options.Value.Auth.DevTokenLifetimeMinutes);
        var claims = new List<Claim> { new(AuthSetup.SubjectClaim, request.Subject!) };
        claims.AddRange(request.Roles!.Distinct().Select(r => new Claim(AuthSetup.RoleClaim, r)));

        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(claims),
            Issuer = signing.Issuer,
            Audience = signing.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(signing.Key, SecurityAlgorithms.HmacSha256),
        });
        return new DevToken(token, expires);
    }
}
