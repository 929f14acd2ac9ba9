# syntax=docker/dockerfile:1
# nnserve container image: built with the Maven wrapper on a JDK 17, run on a JRE 17 as a non-root user.
#   docker build -t nnserve .
#   docker run -p 8080:8080 -v nnserve-data:/data -e NNSERVE_SECURITY_API_KEYS='<a 16+ character secret>' nnserve
# Without an API key the service listens on 127.0.0.1 only (unreachable from outside the container) unless
# NNSERVE_SECURITY_ALLOW_UNAUTHENTICATED_REMOTE=true says something else authenticates clients.

FROM eclipse-temurin:17-jdk-noble AS build
WORKDIR /build
# The wrapper and the POM first: dependencies stay in a cached layer while only the sources change.
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B dependency:go-offline
COPY src src
# -Dcds.skip=true: the image unpacks the jar and records its own archive below, at the paths it runs from.
RUN ./mvnw -B -DskipTests -Dcds.skip=true package

# eclipse-temurin's Ubuntu images ship wget and curl (HEALTHCHECK below uses wget).
FROM eclipse-temurin:17-jre-noble
RUN groupadd --system --gid 10001 nnserve \
    && useradd --system --uid 10001 --gid nnserve --home-dir /app --shell /usr/sbin/nologin nnserve \
    && mkdir -p /app /data \
    && chown nnserve:nnserve /data
WORKDIR /app
COPY --from=build /build/target/nnserve-0.1.0.jar /app/nnserve.jar
# Class-data sharing (CDS) for a faster start (README, Performance): the jar is unpacked into /app/nnserve.jar (the
# application's classes) and /app/lib (its dependencies), and one start of the service up to the end of its context
# refresh, against a scratch database, records the classes it loads in /app/nnserve.jsa. If the archive does not
# match the JVM that runs it, the JVM ignores it and starts as usual.
RUN java -Djarmode=tools -jar /app/nnserve.jar extract --destination /app/unpacked \
    && mv /app/unpacked/nnserve.jar /app/nnserve.jar && mv /app/unpacked/lib /app/lib && rmdir /app/unpacked \
    && cd /tmp && NNSERVE_STORAGE_DATA_DIR=/tmp/cds-data java --add-modules jdk.incubator.vector -XX:+UseSerialGC \
        -XX:ArchiveClassesAtExit=/app/nnserve.jsa -Dspring.context.exit=onRefresh -jar /app/nnserve.jar \
    && rm -rf /tmp/cds-data

# The embedded H2 database (datasets, jobs, models) lives under /data (nnserve.storage.data-dir); with PostgreSQL
# (docker-compose.yml) the database is elsewhere and /data only holds local files.
ENV NNSERVE_STORAGE_DATA_DIR=/data
# Heap as a share of the container's memory limit, and fail fast on OutOfMemoryError so the orchestrator restarts.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
VOLUME /data
EXPOSE 8080
USER nnserve:nnserve

# Ready = started, accepting traffic and the database reachable (management.endpoint.health.group.readiness).
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD wget -q -O /dev/null http://127.0.0.1:8080/actuator/health/readiness || exit 1

# The engine uses the JDK Vector API, an incubator module on Java 17. The serial collector keeps the heap near the
# live data (a few large, long-lived arrays), where G1 grows it with the short-lived garbage of the kernels' JIT
# warm-up: 0.6 GiB resident instead of 1.7-2.8 GiB with Fashion-MNIST registered and training (README, Performance).
# The shared archive is the one recorded above.
ENTRYPOINT ["java", "--add-modules", "jdk.incubator.vector", "-XX:+UseSerialGC", "-XX:SharedArchiveFile=/app/nnserve.jsa", "-jar", "/app/nnserve.jar"]
