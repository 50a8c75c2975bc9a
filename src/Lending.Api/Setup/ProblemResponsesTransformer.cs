using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Lending.Api.Setup;

/// <summary>
/// Documents the answers every endpoint may give besides its own: 401/403 where a token is needed, and 422 (a rule
/// refusal, as ProblemDetails with a stable code) on every command.
/// </summary>
internal sealed class ProblemResponsesTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        operation.Responses ??= new OpenApiResponses();
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (!metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No valid bearer token (auth.unauthenticated)." });
            operation.Responses.TryAdd("403", new OpenApiResponse { Description = "The token's roles do not allow this (auth.forbidden)." });
        }
        if (context.Description.HttpMethod is "POST" or "PUT")
            operation.Responses.TryAdd("422", new OpenApiResponse { Description = "Refused by a business rule: ProblemDetails with its `code`." });
        return Task.CompletedTask;
    }
}
