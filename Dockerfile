# cast2md server: `docker build -t cast2md .` then
#   docker run -d --name cast2md -p 8000:8000 -v cast2md-data:/data -e DISTRIBUTED_TRANSCRIPTION_ENABLED=true cast2md
# Stage 1 builds whisper.cpp from the pinned npm tarball (native/whisper.lock, sha512 checked by native/build-whisper.sh)
# and publishes the Native-AOT binary; stage 2 is a slim Debian with ffmpeg and the binary plus its libraries.
# `make images` (scripts/images.sh) builds the last stage only, with ./bin in place of the build stage's /src/bin.
FROM mcr.microsoft.com/dotnet/sdk:10.0-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends clang zlib1g-dev cmake make g++ nodejs npm ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# Portable CPU flags: the image may run on another CPU than the one that built it.
ENV CAST2MD_PORTABLE=1 CAST2MD_GPU=cpu DOTNET_CLI_TELEMETRY_OPTOUT=1
RUN native/build-whisper.sh && make publish

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg ca-certificates \
 && apt-get clean && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log \
 && useradd --create-home --uid 1000 cast2md \
 && mkdir -p /data && chown cast2md /data
COPY --from=build /src/bin/ /opt/cast2md/
ENV CAST2MD_DATA_DIR=/data PATH=/opt/cast2md:$PATH
USER cast2md
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD ["sh", "-c", "exec 3<>/dev/tcp/127.0.0.1/8000"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["cast2md"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
