# llm-decide as a small container: built on Alpine (musl, so the binary is static), shipped on
# an empty image with only the binary and the CA roots it needs for `pricing import-litellm
# https://...`. Build and run:
#   docker build -t llm-decide .
#   docker run --rm -v "$PWD:/work" -w /work llm-decide --scenario scenarios/saas-startup.yaml
# Any Rust from 1.89 (the crate's rust-version) builds it; the Alpine packages follow the base
# image's release, so they are not pinned one by one.
FROM rust:1-alpine AS build
# hadolint ignore=DL3018
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY . .
RUN cargo build --release --locked && strip target/release/llm-decide

FROM alpine:3 AS roots
# hadolint ignore=DL3018
RUN apk add --no-cache ca-certificates

FROM scratch
COPY --from=roots /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /src/target/release/llm-decide /usr/local/bin/llm-decide
USER 65534:65534
ENTRYPOINT ["/usr/local/bin/llm-decide"]
