using System.Security.Claims;
using Lending.Api.Setup;

namespace Lending.Api.Auth;

public static class Actor
{
    /// <summary>The acting user's id, as recorded on every event they cause.</summary>
    /// <summary>The user as the collections rules see them: supervisors and admins act on any loan.</summary>
    public static Lending.Domain.Collections.CollectionsActor AsCollectionsActor(this ClaimsPrincipal user) =>
        new(user.Id(), user.IsInRole(Roles.Supervisor) || user.IsInRole(Roles.Admin));

    public static string Id(this ClaimsPrincipal user) =>
        user.FindFirstValue(AuthSetup.SubjectClaim) ?? throw new InvalidOperationException("Authenticated user without a subject.");
}
