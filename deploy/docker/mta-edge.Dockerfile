# syntax=docker/dockerfile:1
# Image of the MTA edge (cluster mode): SMTP in, delivery out.
# Build from the repository root (the context must hold Directory.*.props, protos/ and services/):
#   docker build -f deploy/docker/mta-edge.Dockerfile -t gateway-mta-edge .
# Runs as uid 1654 (the .NET images' "app" user) on a read-only root filesystem; Kubernetes mounts /tmp
# and /var/lib/gateway as emptyDirs (charts/gateway does).
ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ./
COPY protos/ protos/
COPY services/ services/
# The package cache survives between builds (BuildKit cache mount); nothing of it reaches the image.
RUN --mount=type=cache,id=gateway-nuget,target=/root/.nuget/packages \
    dotnet restore services/MtaEdge/Host/Gateway.MtaEdge.Host.csproj
RUN --mount=type=cache,id=gateway-nuget,target=/root/.nuget/packages \
    dotnet publish services/MtaEdge/Host/Gateway.MtaEdge.Host.csproj --no-restore -c Release -o /app \
      -p:UseAppHost=false -p:DebugType=none -p:GenerateDocumentationFile=false
# Writable state lives under /var/lib/gateway; the chiseled runtime has no shell to create it there.
RUN mkdir -p /rootfs/state/gateway

# Chiseled Ubuntu: only the .NET runtime and ASP.NET Core, no shell or package manager.
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}-noble-chiseled AS runtime
WORKDIR /app
# Owned by root and not writable by the service: the code cannot be changed from inside.
COPY --from=build --chown=0:0 /app ./
# Only the new gateway/ directory is the service's; /var/lib itself stays root's.
COPY --from=build --chown=1654:1654 /rootfs/state/ /var/lib/
# The chart configures Kestrel's endpoints; the base image's default port setting would only conflict.
ENV ASPNETCORE_HTTP_PORTS= \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    Gateway__DataDir=/var/lib/gateway
USER 1654:1654
EXPOSE 8080 8081 2525
ENTRYPOINT ["dotnet", "gateway-mta-edge.dll"]
