package io.nnserve.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service as a real operating-system process, for tests of what only a process shows: {@code kill -9},
 * SIGTERM, a restart on the same data directory, two instances on one database.
 * <p>
 * The child is a plain {@code java --add-modules jdk.incubator.vector -cp ... io.nnserve.NnserveApplication} on the
 * test JVM's own class path, so the tests run in Surefire's {@code test} phase without packaging the jar first. The
 * test output directory is left out of that class path: its {@code application.properties} points tests at an
 * in-memory H2, and the child must run on the production configuration (H2 in file mode under
 * {@code nnserve.storage.data-dir}, or whatever the arguments say). Its output goes to a log file that a failed
 * assertion quotes.
 * <p>
 * Every child is destroyed when the test JVM exits, even if a test forgot to close it.
 */
public final class ServiceProcess implements AutoCloseable {

    /** How long a start may take: about 10 s on a quiet 2-core machine, over a minute on a shared busy one. */
    public static final Duration START_TIMEOUT = Duration.ofMinutes(4);
    /** Exit codes of a JVM ended by a signal: 128 + the signal's number. */
    public static final int EXIT_SIGKILL = 128 + 9;
    public static final int EXIT_SIGTERM = 128 + 15;

    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "service-process-cleanup"));
    }

    private final String name;
    private final int port;
    private final Path log;
    private final Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private ServiceProcess(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /**
     * Starts the service on a free port, working directory {@code workDir} (its log goes there as
     * {@code name.log}), with {@code arguments} as Spring Boot command-line properties
     * ({@code --nnserve.storage.data-dir=...}). Returns at once; {@link #awaitReady()} waits for readiness.
     */
    public static ServiceProcess start(String name, Path workDir, List<String> arguments) {
        int port = freePort();
        Path log = workDir.resolve(name + ".log");
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        command.add("-Xmx512m");
        command.add("-XX:+UseSerialGC");
        command.add("-cp");
        command.add(serviceClassPath());
        command.add("io.nnserve.NnserveApplication");
        command.add("--server.port=" + port);
        command.add("--spring.main.banner-mode=off");
        command.addAll(arguments);
        try {
            Files.createDirectories(workDir);
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            // The arguments alone configure the child: a developer's SPRING_DATASOURCE_URL or NNSERVE_* must not.
            builder.environment().keySet().removeIf(key -> key.startsWith("SPRING_") || key.startsWith("NNSERVE_")
                    || key.startsWith("SERVER_") || key.startsWith("MANAGEMENT_"));
            Process process = builder.start();
            RUNNING.add(process);
            return new ServiceProcess(name, port, log, process);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Surefire sets java.class.path to the whole test class path; the test classes and resources leave it. */
    private static String serviceClassPath() {
        Path testClasses;
        try {
            testClasses = Path.of(ServiceProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .filter(entry -> !Path.of(entry).toAbsolutePath().normalize().equals(testClasses.toAbsolutePath().normalize()))
                .collect(Collectors.joining(File.pathSeparator));
        if (!classPath.contains("spring-boot")) {
            throw new IllegalStateException("java.class.path does not hold the service's class path: " + classPath);
        }
        return classPath;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    /** Waits until {@code /actuator/health/readiness} answers 200 (after the start-up runners: built-ins stored). */
    public ServiceProcess awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " before it was ready\n" + logTail());
            }
            try {
                HttpResponse<String> response = http.send(request("/actuator/health/readiness")
                        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            sleep(100);
        }
        throw new AssertionError(name + " was not ready within " + START_TIMEOUT + "\n" + logTail());
    }

    // --- HTTP

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60));
    }

    /** The service's address for {@code path}, for requests a test makes itself (a stream it reads as it comes). */
    public URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    public HttpResponse<String> send(String method, String path, String contentType, String body) {
        HttpRequest.Builder request = request(path);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " on " + name + " failed: " + e + "\n" + logTail(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public HttpResponse<String> get(String path) {
        return send("GET", path, null, null);
    }

    public HttpResponse<String> postJson(String path, String json) {
        return send("POST", path, "application/json", json);
    }

    public HttpResponse<String> delete(String path) {
        return send("DELETE", path, null, null);
    }

    /** The JSON body of a request that must answer {@code expectedStatus}. */
    public JsonNode json(HttpResponse<String> response, int expectedStatus) {
        assertThat(response.statusCode()).as("%s %s on %s: %s", response.request().method(), response.request().uri(),
                name, response.body()).isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }

    public JsonNode getJson(String path) {
        return json(get(path), 200);
    }

    /** Registers a CSV dataset through {@code POST /datasets} and returns its id. */
    public String registerCsv(String datasetName, String csv) {
        return json(send("POST", "/datasets?name=" + datasetName, "text/csv", csv), 201).get("id").stringValue();
    }

    /** Submits a training job and returns its id. */
    public String train(String requestJson) {
        return json(postJson("/train", requestJson), 202).get("id").stringValue();
    }

    public JsonNode job(String id) {
        return getJson("/jobs/" + id);
    }

    /** Polls {@code GET /jobs/{id}} until {@code condition} holds; fails if the job ends first without meeting it. */
    public JsonNode awaitJob(String id, String what, Predicate<JsonNode> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode job = job(id);
        while (!condition.test(job)) {
            if (isFinal(job)) {
                throw new AssertionError("job " + id + " ended before " + what + ": " + job);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + id + " not " + what + " within " + timeout + ": " + job + "\n" + logTail());
            }
            sleep(10);
            job = job(id);
        }
        return job;
    }

    /** Polls until the job has ended, and returns it. */
    public JsonNode awaitEnd(String id, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode job = job(id);
        while (!isFinal(job)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + id + " did not end within " + timeout + ": " + job + "\n" + logTail());
            }
            sleep(50);
            job = job(id);
        }
        return job;
    }

    public static boolean isFinal(JsonNode job) {
        return Set.of("SUCCEEDED", "FAILED", "CANCELLED").contains(job.get("status").stringValue());
    }

    // --- ending the process

    /**
     * {@code kill -9}: {@link Process#destroyForcibly()} sends SIGKILL on Linux, which the exit code (128 + 9)
     * confirms; nothing in the service runs after it.
     */
    public void kill() {
        process.destroyForcibly();
        int exit = waitForExit(Duration.ofSeconds(30));
        RUNNING.remove(process);
        assertThat(exit).as("exit code of %s after SIGKILL", name).isEqualTo(EXIT_SIGKILL);
    }

    /**
     * SIGTERM ({@link Process#destroy()} on Linux), as an orchestrator stops a container; returns how long the
     * process took to exit and checks that it exited as a JVM ended by SIGTERM does (128 + 15), after its
     * shutdown hooks (Spring's graceful shutdown) ran.
     */
    public Duration terminate(Duration timeout) {
        long start = System.nanoTime();
        process.destroy();
        int exit = waitForExit(timeout);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        RUNNING.remove(process);
        assertThat(exit).as("exit code of %s after SIGTERM\n%s", name, logTail()).isEqualTo(EXIT_SIGTERM);
        return took;
    }

    /** Waits for a process that is expected to stop by itself (a start that fails); returns its exit code. */
    public int awaitExit(Duration timeout) {
        int exit = waitForExit(timeout);
        RUNNING.remove(process);
        return exit;
    }

    private int waitForExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(name + " did not exit within " + timeout + "\n" + logTail());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        RUNNING.remove(process);
    }

    // --- the log

    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The last 60 lines of the log, for failure messages. */
    public String logTail() {
        List<String> lines = log().lines().toList();
        return "--- last lines of " + log + " ---\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
