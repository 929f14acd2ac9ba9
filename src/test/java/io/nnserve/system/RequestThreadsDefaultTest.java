package io.nnserve.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.coyote.AbstractProtocol;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RequestThreadsDefaultTest {

    @Autowired
    WebServerApplicationContext context;

    @Test
    void theRunningServerHasFourRequestThreadsPerCore() {
        TomcatWebServer server = (TomcatWebServer) context.getWebServer();
        AbstractProtocol<?> protocol = (AbstractProtocol<?>) server.getTomcat().getConnector().getProtocolHandler();
        assertThat(protocol.getMaxThreads()).isEqualTo(4 * Runtime.getRuntime().availableProcessors());
    }

    @Test
    void scalesWithTheCores() {
        assertThat(RequestThreadsDefault.threads(1)).isEqualTo(4);
        assertThat(RequestThreadsDefault.threads(2)).isEqualTo(8);
        assertThat(RequestThreadsDefault.threads(16)).isEqualTo(64);
        assertThat(RequestThreadsDefault.threads(0)).isEqualTo(4);
    }

    @Test
    void aConfiguredValueWins() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("command line",
                Map.of("server.tomcat.threads.max", "50")));
        new RequestThreadsDefault().postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty("server.tomcat.threads.max")).isEqualTo("50");
    }

    @Test
    void appliesWhenNothingIsConfigured() {
        StandardEnvironment environment = new StandardEnvironment();
        new RequestThreadsDefault().postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty("server.tomcat.threads.max", Integer.class))
                .isEqualTo(4 * Runtime.getRuntime().availableProcessors());
    }
}
