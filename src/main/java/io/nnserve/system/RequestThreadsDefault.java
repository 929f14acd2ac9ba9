package io.nnserve.system;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Sizes Tomcat's request thread pool by the CPU: {@code server.tomcat.threads.max} defaults to {@value #PER_CORE}
 * threads per core instead of Tomcat's 200, which suits handlers that wait on other services.
 * <p>
 * nnserve's requests spend their time on the CPU (parsing, the forward pass, writing JSON), so more threads than a
 * few per core only take turns: with 16 connections on two cores, 16 runnable request threads are preempted in the
 * middle of requests, and the slowest 1% of single-row predictions took 6.5-7 ms, against 3-4.5 ms with 4-8 threads
 * and a few percent more throughput (README, Performance). Requests beyond the pool wait in Tomcat's queue, in
 * order. Streams ({@code /jobs/{id}/events}) do not hold a thread between events.
 * <p>
 * The value goes in as the lowest-precedence property source, so any {@code server.tomcat.threads.max} that is set
 * (application.yml, the environment, the command line) wins.
 */
public class RequestThreadsDefault implements EnvironmentPostProcessor {

    static final String PROPERTY = "server.tomcat.threads.max";
    static final int PER_CORE = 4;

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource("nnserve-request-threads",
                Map.of(PROPERTY, threads(Runtime.getRuntime().availableProcessors()))));
    }

    static int threads(int cores) {
        return PER_CORE * Math.max(1, cores);
    }
}
