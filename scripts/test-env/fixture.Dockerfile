# Fixture Cog image (test-only). Built by scripts/test-env/setup.sh from a build context holding
# server.py (test/fixtures/cog-server/server.py) and openapi.json (test/fixtures/cog-images/<name>/).
# Labels (run.cog.*, org.cogmodel.*, cogdesk.fixture-hash) are passed with --label.
FROM cogdesk-test/base:bookworm
ARG COG_FIXTURE_PREDICTOR=echo
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 \
    PYTHONUNBUFFERED=1 \
    COG_FIXTURE_PREDICTOR=${COG_FIXTURE_PREDICTOR}
WORKDIR /src
COPY server.py openapi.json /opt/cog/
EXPOSE 5000
CMD ["python3","-u","/opt/cog/server.py"]
