using Serilog;
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
            config.ReadFrom.Configuration(builder.Configuration)
                .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
                .MinimumLevel.Override("Marten", Serilog.Events.LogEventLevel.Warning)
                .MinimumLevel.Override("Wolverine", Serilog.Events.LogEventLevel.Warning)
                .MinimumLevel.Override("JasperFx", Serilog.Events.LogEventLevel.Warning)
                .Enrich.FromLogContext();
            if (development)
                config.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
            else
                config.WriteTo.Console(new RenderedCompactJsonFormatter());
        });
        return builder;
    }
}
