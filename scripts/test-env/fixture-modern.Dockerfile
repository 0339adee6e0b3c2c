# Fixture Cog image for the newer servers (test-only): Rust coglet 0.22 or the Go cog-runtime, answered by
# test/fixtures/cog-server/<COG_FIXTURE_MAIN> (coglet_server.py or go_server.py, with modern.py and server.py).
# Built by scripts/test-env/setup.sh, which appends the fixture's own ENV lines (fixture.conf `env=`) and
# passes the labels with --label.
FROM cogdesk-test/base:bookworm
ARG COG_FIXTURE_PREDICTOR=echo
ARG COG_FIXTURE_MAIN=coglet_server.py
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    COG_FIXTURE_PREDICTOR=${COG_FIXTURE_PREDICTOR} \
    COG_FIXTURE_MAIN=${COG_FIXTURE_MAIN}
WORKDIR /src
COPY server.py modern.py coglet_server.py go_server.py openapi.json /opt/cog/
EXPOSE 5000
CMD ["/bin/sh","-c","exec python3 -u /opt/cog/$COG_FIXTURE_MAIN"]
