using Lending.Api.Setup;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Marten;
using Microsoft.Extensions.Logging;
using Npgsql;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Wolverine;
using Wolverine.Http;

namespace Lending.Api.Tests.Setup;

/// <summary>
/// A body Wolverine's JSON reader cannot read is the client's mistake: answered 400 and logged once as a warning by the
/// service, not also as an error with a stack trace. Runs Wolverine's own reader, so its real message is what is filtered.
/// </summary>
public class LoggingFilterTests
{
    public sealed record Amount(decimal Value);

    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, 1)] // the same pipeline without the service's filters: the error Wolverine writes
    public async Task Wolverine_s_error_for_an_unreadable_body_is_not_logged(bool lendingFilters, int errors)
    {
        var (capture, services) = Logging(lendingFilters);
        var http = new DefaultHttpContext { RequestServices = services };
        http.Request.ContentType = "application/json";
        http.Request.Body = new MemoryStream("""{"Value":1e400}"""u8.ToArray());
        http.Response.Body = new MemoryStream();

        var (_, next) = await new Reader(new WolverineHttpOptions()).ReadJsonAsync<Amount>(http);

        Assert.Equal(HandlerContinuation.Stop, next);
        Assert.Equal(StatusCodes.Status400BadRequest, http.Response.StatusCode);
        Assert.Equal(errors, capture.Events.Count(e => e.Level == LogEventLevel.Error));
    }

    [Fact]
    public void Other_errors_of_the_same_category_are_logged()
    {
        var (capture, services) = Logging(lendingFilters: true);
        var logger = services.GetRequiredService<ILogger<Amount>>();
        logger.LogError(new System.Text.Json.JsonException("broken"), "Stored loan {Id} could not be read", 7);
        logger.LogError(new InvalidOperationException("x"), "Error trying to deserialize JSON from incoming HTTP body at {Url} to type {Type}",
            "/loans", "Amount");
        Assert.Equal(2, capture.Events.Count(e => e.Level == LogEventLevel.Error));
    }

    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, 1)]
    public void A_stream_version_conflict_is_not_logged_as_an_error(bool lendingFilters, int errors)
    {
        var (capture, services) = Logging(lendingFilters);
        MartenLogger(services).LogFailure(new NpgsqlCommand("select lending_events.mt_quick_append_events($1)"),
            new PostgresException("Stream version mismatch", "ERROR", "ERROR", "MT003"));

        Assert.Equal(errors, capture.Events.Count(e => e.Level == LogEventLevel.Error));
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void A_failed_statement_is_logged_without_its_parameter_values(bool lendingFilters, bool borrowerInLog)
    {
        var (capture, services) = Logging(lendingFilters);
        var command = new NpgsqlCommand("insert into lending.work_queue (loan_id, borrower_name) values ($1, $2)")
        {
            Parameters = { new NpgsqlParameter { Value = Guid.NewGuid() }, new NpgsqlParameter { Value = "Ada Borrower" } },
        };

        MartenLogger(services).LogFailure(command, new PostgresException("duplicate key", "ERROR", "ERROR", "23505"));

        var logged = Assert.Single(capture.Events, e => e.Level == LogEventLevel.Error);
        Assert.Contains("insert into lending.work_queue", logged.RenderMessage());
        Assert.Equal(borrowerInLog, logged.RenderMessage().Contains("Ada Borrower"));
        Assert.Equal(borrowerInLog, logged.Properties["PARAMETERS"].ToString().Contains("Ada Borrower"));
    }

    /// <summary>
    /// Marten's own logger, as <c>AddMarten</c> gives the store one, over the service's logging. Built directly (the type
    /// is internal): building a second store in this process would change code-generation settings the other tests share.
    /// </summary>
    private static IMartenSessionLogger MartenLogger(ServiceProvider logging)
    {
        var type = typeof(IDocumentStore).Assembly.GetType("Marten.DefaultMartenLogger", throwOnError: true)!;
        var logger = (IMartenLogger)Activator.CreateInstance(type, logging.GetRequiredService<ILogger<IDocumentStore>>())!;
        return logger.StartSession(null!);
    }

    private static (Capture, ServiceProvider) Logging(bool lendingFilters)
    {
        var capture = new Capture();
        var config = new LoggerConfiguration().MinimumLevel.Verbose();
        if (lendingFilters) config = config.LendingLevelsAndFilters();
        var logger = config.WriteTo.Sink(capture).CreateLogger();
        return (capture, new ServiceCollection().AddLogging(b => b.AddSerilog(logger, dispose: true)).BuildServiceProvider());
    }

    private sealed class Capture : ILogEventSink
    {
        public List<LogEvent> Events { get; } = [];
        public void Emit(LogEvent logEvent) => Events.Add(logEvent);
    }

    private sealed class Reader(WolverineHttpOptions options) : HttpHandler(options)
    {
        public override Task Handle(HttpContext context) => Task.CompletedTask;
    }
}
