using System.Security.Claims;
using Lending.Api.Setup;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Lending.Api.Tests.Infrastructure;

public static class TestTokens
{
    public static string Create(TokenSigning signing, TimeProvider clock, string subject, params string[] roles)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var claims = new List<Claim> { new(AuthSetup.SubjectClaim, subject) };
        claims.AddRange(roles.Select(r => new Claim(AuthSetup.RoleClaim, r)));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(claims),
            Issuer = signing.Issuer,
            Audience = signing.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            SigningCredentials = new SigningCredentials(signing.Key, SecurityAlgorithms.HmacSha256),
        });
    }
}
