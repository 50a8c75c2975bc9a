using Lending.Api.Setup;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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
