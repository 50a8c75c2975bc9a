using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Lending.Api.Setup;

public static class LoggingSetup
{
    /// <summary>Structured logs: readable lines in Development, compact JSON (one event per line) elsewhere.</summary>
    public static WebApplicationBuilder AddLendingLogging(this WebApplicationBuilder builder)
    {
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddSerilog((_, config) =>
        {
            config.ReadFrom.Configuration(builder.Configuration).LendingLevelsAndFilters().Enrich.FromLogContext();
            if (development)
                config.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
            else
                config.WriteTo.Console(new RenderedCompactJsonFormatter());
        });
        return builder;
    }

    /// <summary>The frameworks' levels, and the framework events that only repeat what the service logs itself.</summary>
    public static LoggerConfiguration LendingLevelsAndFilters(this LoggerConfiguration config) => config
        .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
        .MinimumLevel.Override("Marten", LogEventLevel.Warning)
        .MinimumLevel.Override("Wolverine", LogEventLevel.Warning)
        .MinimumLevel.Override("JasperFx", LogEventLevel.Warning)
        .Filter.ByExcluding(IsUnreadableBodyError);

    /// <summary>
    /// Wolverine's JSON reader logs a body it cannot read (1e400 for a decimal, a string for a number) as an error with
    /// its stack trace, under the request type's name. The client's mistake is answered with a 400 and logged once as a
    /// warning by the problem-details hook (<see cref="HttpSetup"/>); the error would only bury real ones. (A client that
    /// accepts only <c>text/json</c> gets the 400 without that hook, so without the warning: ASP.NET writes problems only
    /// to clients that accept application/json.)
    /// </summary>
    public static bool IsUnreadableBodyError(LogEvent e) =>
        e.Exception is System.Text.Json.JsonException && e.MessageTemplate.Text == WolverineUnreadableBody;

    /// <summary>Wolverine.Http's <c>HttpHandler.ReadJsonAsync</c> message, as of 6.62.</summary>
    private const string WolverineUnreadableBody = "Error trying to deserialize JSON from incoming HTTP body at {Url} to type {Type}";
}
