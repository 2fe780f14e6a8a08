# A small static image of the kube4c CLI:
#   docker build -t kube4c .
#   docker run --rm -v "$PWD:/src" -w /src kube4c check deploy/
FROM rust:1-slim AS build
RUN rustup target add x86_64-unknown-linux-musl
WORKDIR /build
COPY . .
RUN cargo build --release --locked -p kube4c-cli --target x86_64-unknown-linux-musl \
 && strip target/x86_64-unknown-linux-musl/release/kube4c

FROM scratch
COPY --from=build /build/target/x86_64-unknown-linux-musl/release/kube4c /kube4c
COPY LICENSE /LICENSE
USER 65532:65532
ENTRYPOINT ["/kube4c"]
CMD ["--help"]
