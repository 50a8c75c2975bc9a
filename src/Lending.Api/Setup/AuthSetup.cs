using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace Lending.Api.Setup;

public static class AuthSetup
{
    public const string RoleClaim = "role";
    public const string SubjectClaim = "sub";

    public static IServiceCollection AddLendingAuth(this IServiceCollection services, IConfiguration configuration,
        IHostEnvironment environment)
    {
        var auth = configuration.GetSection(LendingOptions.Section).Get<LendingOptions>()?.Auth ?? new LendingOptions.AuthOptions();
        var key = SigningKey(auth);

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(o =>
            {
                o.MapInboundClaims = false;
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = auth.Issuer,
                    ValidAudience = auth.Audience,
                    IssuerSigningKey = key,
                    NameClaimType = SubjectClaim,
                    RoleClaimType = RoleClaim,
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
            });
        // Token lifetimes are judged by the service's one clock, like everything else.
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<TimeProvider>((o, clock) =>
            o.TokenValidationParameters.LifetimeValidator = (notBefore, expires, _, parameters) =>
            {
                var now = clock.GetUtcNow().UtcDateTime;
                return (notBefore is null || notBefore.Value <= now + parameters.ClockSkew)
                    && (expires is null || expires.Value >= now - parameters.ClockSkew);
            });
        services.AddAuthorization();
        services.AddSingleton(new TokenSigning(key, auth.Issuer, auth.Audience));
        return services;
    }

    public static SymmetricSecurityKey SigningKey(LendingOptions.AuthOptions auth)
    {
        if (string.IsNullOrWhiteSpace(auth.SigningKey) || auth.SigningKey.Length < 32)
            throw new InvalidOperationException(
                "Lending:Auth:SigningKey must be set to a secret of at least 32 characters (Lending__Auth__SigningKey).");
        return new SymmetricSecurityKey(Encoding.UTF8.GetBytes(auth.SigningKey));
    }
}

/// <summary>The key and names tokens are signed with (used by the development token issuer).</summary>
public sealed record TokenSigning(SecurityKey Key, string Issuer, string Audience);
