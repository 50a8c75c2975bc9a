using System.Security.Claims;
using Lending.Api.Setup;

namespace Lending.Api.Auth;

public static class Actor
{
    /// <summary>The acting user's id, as recorded on every event they cause.</summary>
    public static string Id(this ClaimsPrincipal user) =>
        user.FindFirstValue(AuthSetup.SubjectClaim) ?? throw new InvalidOperationException("Authenticated user without a subject.");
}
