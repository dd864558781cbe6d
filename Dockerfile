# Multi-stage build: compile with the Rust toolchain, run from a small Debian image as a
# non-root user. No libpq is needed (diesel-async speaks the protocol itself).
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY migrations ./migrations
COPY data ./data
COPY templates ./templates
COPY locales ./locales
COPY static ./static
COPY openapi.yaml ./
RUN mkdir -p tests/api && echo 'fn main() {}' > tests/api/main.rs \
    && cargo build --release --locked --bin dugnad \
    && strip target/release/dugnad

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /var/lib/dugnad --create-home dugnad
COPY --from=build /src/target/release/dugnad /usr/local/bin/dugnad
USER dugnad
WORKDIR /var/lib/dugnad
ENV DUGNAD_BIND=0.0.0.0:8080 \
    DUGNAD_VAR_DIR=/var/lib/dugnad
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/dugnad"]
CMD ["serve"]
