# A static maillage binary on an empty image, run as a non-root user.
#   docker build -t maillage --build-arg VERSION=v1.2.0 --build-arg COMMIT=$(git rev-parse HEAD) .
#   docker run -p 8080:8080 -v maillage:/data maillage serve --url http://localhost:8080
# The Go image is pinned to the exact toolchain of go.mod (go1.26.10); bump
# both together. deploy/docker-compose.yml runs it in production.
FROM golang:1.26.10 AS build
ARG VERSION=dev
ARG COMMIT=inconnu
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X main.version=${VERSION} -X main.commit=${COMMIT}" -o /out/maillage ./cmd/maillage \
 && mkdir -p /out/data && chown 65532:65532 /out/data

FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=build /usr/share/zoneinfo /usr/share/zoneinfo
COPY --from=build /out/maillage /maillage
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
ENV MAILLAGE_DATA=/data MAILLAGE_LISTEN=0.0.0.0:8080
EXPOSE 8080
VOLUME /data
HEALTHCHECK --interval=10s --timeout=5s --start-period=5s CMD ["/maillage", "health", "--url", "http://127.0.0.1:8080"]
ENTRYPOINT ["/maillage"]
CMD ["serve"]
