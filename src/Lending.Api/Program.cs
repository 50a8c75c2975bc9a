using JasperFx;
using Lending.Api.Setup;
using Lending.Api.Demo;
using Lending.Api.Evidence;
using Wolverine.Http;

var builder = WebApplication.CreateBuilder(args);

builder.AddLendingLogging();
builder.Services.AddLendingOptions(builder.Configuration);
builder.Services.AddLendingMarten(builder.Configuration, builder.Environment);
builder.Host.AddLendingWolverine();
builder.Services.AddLendingHttp();
builder.Services.AddLendingAuth(builder.Configuration, builder.Environment);
builder.Services.AddLendingHealthChecks();
builder.Services.AddLendingDemo(builder.Configuration);
builder.Services.AddLendingEvidence();

var app = builder.Build();
app.CheckLendingPolicies(); // out-of-bounds policy numbers stop the service before it serves anything

app.UseLendingErrorHandling();
app.UseAuthentication();
app.UseAuthorization();
app.MapLendingDocs();
app.MapLendingHealthChecks();
app.MapWolverineEndpoints(opts => opts.ConfigureLendingEndpoints());

return await app.RunJasperFxCommands(args);

/// <summary>Entry point, visible to the integration tests' host.</summary>
public partial class Program;
