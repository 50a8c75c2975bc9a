using Serilog;
using Serilog.Core;
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
        .Enrich.With<WithheldStatementParameters>()
        .Filter.ByExcluding(e => IsUnreadableBodyError(e) || IsHandledConflict(e));

    /// <summary>
    /// Wolverine's JSON reader logs a body it cannot read (1e400 for a decimal, a string for a number) as an error with
    /// its stack trace, under the request type's name. The client's mistake is answered with a 400 and logged once as a
    /// warning by the problem-details hook (<see cref="HttpSetup"/>); the error would only bury real ones. (A client that
    /// accepts only <c>text/json</c> gets the 400 without that hook, so without the warning: ASP.NET writes problems only
    /// to clients that accept application/json.)
    /// </summary>
    public static bool IsUnreadableBodyError(LogEvent e) =>
        e.Exception is System.Text.Json.JsonException && e.MessageTemplate.Text == WolverineUnreadableBody;

    /// <summary>
    /// Marten logs every statement of a failed batch as an error. A stream that moved since it was read (MT003), or a
    /// payment reference recorded at the same moment, is the database doing its job, and the caller handles it: a 409 to
    /// the client, close of business closing that loan again alone, or Wolverine's retry of a handler (which logs each
    /// failed attempt itself). Logged here, it would be one error per statement of the batch.
    /// </summary>
    public static bool IsHandledConflict(LogEvent e) =>
        e.MessageTemplate.Text == MartenFailedStatement && e.Exception is { } x
        && ((x as Npgsql.PostgresException ?? x.InnerException as Npgsql.PostgresException) is { SqlState: "MT003" }
            || LendingExceptionHandler.PaymentReferenceTaken(x));

    /// <summary>Marten's message for a failed statement, with the statement and its parameters (as of 9.58).</summary>
    internal const string MartenFailedStatement = "Marten encountered an exception executing \n{SQL}\n{PARAMETERS}";

    /// <summary>
    /// Marten writes statements' parameter values into the log (a failed one as an error, every one at Debug): borrowers'
    /// names, phones and amounts. The log is no place for them, so the values are withheld and the statement kept.
    /// </summary>
    private sealed class WithheldStatementParameters : ILogEventEnricher
    {
        public void Enrich(LogEvent e, ILogEventPropertyFactory factory)
        {
            if (e.Properties.ContainsKey("PARAMETERS")
                && e.Properties.TryGetValue("SourceContext", out var source) && source is ScalarValue { Value: string category }
                && category.StartsWith("Marten", StringComparison.Ordinal))
                e.AddOrUpdateProperty(factory.CreateProperty("PARAMETERS", "(parameter values withheld)"));
        }
    }

    /// <summary>Wolverine.Http's <c>HttpHandler.ReadJsonAsync</c> message, as of 6.62.</summary>
    private const string WolverineUnreadableBody = "Error trying to deserialize JSON from incoming HTTP body at {Url} to type {Type}";
}
