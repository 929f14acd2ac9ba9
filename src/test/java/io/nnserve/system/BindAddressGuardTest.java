package io.nnserve.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;

import io.nnserve.NnserveApplication;

@ExtendWith(OutputCaptureExtension.class)
class BindAddressGuardTest {

    private static SecurityProperties security(boolean keys, boolean optIn) {
        return new SecurityProperties(keys ? List.of(ApiKey.parse("abcdefghijklmnop:train")) : List.of(), optIn,
                true, List.of());
    }

    @Test
    void withoutKeysTheServerListensOnLoopbackOnly() {
        TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
        new BindAddressGuard(security(false, false)).customize(factory);
        assertThat(factory.getAddress()).isNotNull();
        assertThat(factory.getAddress().isLoopbackAddress()).isTrue();
        assertThat(factory.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void withoutKeysAnExplicitRemoteAddressStopsTheStart() throws Exception {
        TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
        factory.setAddress(InetAddress.getByName("0.0.0.0"));
        assertThatThrownBy(() -> new BindAddressGuard(security(false, false)).customize(factory))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("nnserve.security.api-keys")
                .hasMessageContaining("nnserve.security.allow-unauthenticated-remote");
    }

    @Test
    void withoutKeysAnExplicitLoopbackAddressIsKept() throws Exception {
        TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
        factory.setAddress(InetAddress.getByName("::1"));
        new BindAddressGuard(security(false, false)).customize(factory);
        assertThat(factory.getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
    }

    @Test
    void keysOrTheOptInLeaveTheAddressAsConfigured() throws Exception {
        TomcatServletWebServerFactory withKeys = new TomcatServletWebServerFactory();
        new BindAddressGuard(security(true, false)).customize(withKeys);
        assertThat(withKeys.getAddress()).isNull();

        TomcatServletWebServerFactory optIn = new TomcatServletWebServerFactory();
        optIn.setAddress(InetAddress.getByName("0.0.0.0"));
        new BindAddressGuard(security(false, true)).customize(optIn);
        assertThat(optIn.getAddress().getHostAddress()).isEqualTo("0.0.0.0");
    }

    /** The whole start, as an operator sees it: the short report with what to do, not a stack trace. */
    @Test
    void theStoppedStartSaysWhatToDoWithoutAStackTrace(CapturedOutput output, @TempDir java.nio.file.Path dir) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(NnserveApplication.class)
                .properties("server.address=0.0.0.0", "server.port=0", "nnserve.storage.data-dir=" + dir,
                        "nnserve.engine.warm-up=false")
                .run().close()).isNotNull();
        assertThat(output.getAll()).contains("APPLICATION FAILED TO START", "server.address=0.0.0.0",
                        "nnserve.security.allow-unauthenticated-remote=true")
                .doesNotContain("BeanCreationException").doesNotContain("\tat org.springframework");
    }
}
