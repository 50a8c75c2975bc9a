using Lending.Api.Auth;
using Lending.Api.Setup;
using Lending.Domain.Products;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Lending.Api.Products;

public static class GetProductsEndpoint
{
    [WolverineGet("/products", OperationId = "ListProducts")]
    [Authorize(Roles = Roles.Anyone)]
    [Tags("Products")]
    public static async Task<IReadOnlyList<ProductResponse>> List(IQuerySession session, CancellationToken ct) =>
        (await session.Query<Product>().OrderBy(p => p.Code).ToListAsync(ct)).Select(ProductResponse.From).ToList();

    [WolverineGet("/products/{code}", OperationId = "GetProduct")]
    [ProducesResponseType<ProductResponse>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.Anyone)]
    [Tags("Products")]
    public static async Task<IResult> Get(string code, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<Product>(code, ct) is { } product
            ? Results.Ok(ProductResponse.From(product))
            : Results.Problem(Problems.Create(StatusCodes.Status404NotFound, "product.not_found", $"There is no product '{code}'."));
}
