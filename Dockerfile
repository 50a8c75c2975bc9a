# The API as a container image. Build context: the repository root.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Lending.Api/Lending.Api.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# Documents (payoff certificates, evidence) are set in WenQuanYi Micro Hei, which covers Chinese.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-wqy-microhei && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 \
    Lending__Notifications__Directory=/tmp/lending-notices \
    Lending__Evidence__DevelopmentKeyDirectory=/tmp/lending-evidence
EXPOSE 8080
USER $APP_UID
ENTRYPOINT ["dotnet", "Lending.Api.dll"]
