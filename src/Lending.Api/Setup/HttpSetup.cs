using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Scalar.AspNetCore;
using Wolverine.Http;

namespace Lending.Api.Setup;

public static class HttpSetup
{
    /// <summary>The JSON contract of API.md: camelCase, enums as their documented strings.</summary>
    public static void ConfigureLendingJson(JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        json.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
    }

    public static IServiceCollection AddLendingHttp(this IServiceCollection services)
    {
        services.Configure<JsonOptions>(o => ConfigureLendingJson(o.SerializerOptions));
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            // A command on a loan that does not exist: the same code as a read (Wolverine's aggregate loader answers 404).
            if (ctx.ProblemDetails.Status == StatusCodes.Status404NotFound && !ctx.ProblemDetails.Extensions.ContainsKey("code")
                && System.Text.RegularExpressions.Regex.IsMatch(ctx.HttpContext.Request.Path.Value ?? "", "^/loans/[^/]+"))
                ctx.ProblemDetails.Extensions["code"] = "loan.not_found";
            Problems.EnsureCode(ctx.ProblemDetails);
            // A body no endpoint could read: worth a warning (a client's bug, or probing), never the body itself.
            if (ctx.ProblemDetails.Extensions["code"] is "request.malformed" or "request.invalid_character")
                ctx.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Lending.Api.Requests").LogWarning(
                    "Refused {Method} {Path}: {Code} ({Detail})", ctx.HttpContext.Request.Method, ctx.HttpContext.Request.Path,
                    ctx.ProblemDetails.Extensions["code"], ctx.ProblemDetails.Detail);
        });
        services.AddExceptionHandler<LendingExceptionHandler>();
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer<BearerSecurityTransformer>();
            o.AddOperationTransformer<ProblemResponsesTransformer>();
        });
        services.AddWolverineHttp();
        return services;
    }

    public static void ConfigureLendingEndpoints(this WolverineHttpOptions opts)
    {
        // Every endpoint needs a token unless it says [AllowAnonymous] (the dev token issuer).
        opts.RequireAuthorizeOnAll();
        // ?asOf=yesterday must be a 400, not silently "now".
        opts.RejectUnparseableQueryValues = true;
        opts.AddMiddleware(typeof(BusinessDates.BusinessDayMiddleware), BusinessDates.BusinessDayMiddleware.Applies);
        // A writer that slipped in between load and commit: 409 ProblemDetails, the client reloads and decides again.
        opts.MapConcurrencyFailuresToConflict(_ => true, e => LendingExceptionHandler.Describe(e));
    }

    public static WebApplication UseLendingErrorHandling(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestScreening>();
        return app;
    }

    public static WebApplication MapLendingDocs(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference(o => o.WithTitle("Lending back office")).AllowAnonymous();
        return app;
    }
}
