package io.nnserve.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.options;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;

/**
 * With no origins configured (the default), a page served elsewhere cannot use the service through its visitor's
 * browser: a form upload, which browsers send across origins without a pre-flight, is refused before anything is
 * stored. The service's own pages (same origin) and clients that send no Origin (curl, SDKs) are not affected.
 */
@SpringBootTest(properties = "nnserve.jobs.workers-enabled=false")
@AutoConfigureMockMvc
class CrossOriginRefusedTest {

    private static final String EVIL = "https://evil.example.com";

    @Autowired
    MockMvc mvc;

    private int datasetCount() throws Exception {
        String list = mvc.perform(get("/datasets")).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString();
        return com.jayway.jsonpath.JsonPath.<java.util.List<?>>read(list, "$").size();
    }

    private static MockMultipartFile iris() {
        return new MockMultipartFile("file", "iris.csv", "text/csv",
                "sepal,petal,label\n1,2,a\n3,4,b\n5,6,a\n".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aFormUploadFromAnotherOriginStoresNothing() throws Exception {
        long before = datasetCount();
        mvc.perform(multipart("/datasets").file(iris()).param("name", "drive-by").header("Origin", EVIL))
                .andExpect(status().isForbidden())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail", containsString("nnserve.security.cors-allowed-origins")))
                .andExpect(jsonPath("$.type").value("about:blank"))
                .andExpect(jsonPath("$.instance").value("/datasets"))
                .andExpect(header().doesNotExist("Access-Control-Allow-Origin"));
        assertThat(datasetCount()).isEqualTo(before);
    }

    @Test
    void everyCrossOriginRequestIsRefused() throws Exception {
        for (var request : java.util.List.of(
                get("/models").header("Origin", EVIL),
                delete("/models/iris-example").header("Origin", EVIL),
                post("/predict").header("Origin", "null").contentType(MediaType.APPLICATION_JSON).content("{}"),
                options("/train").header("Origin", EVIL).header("Access-Control-Request-Method", "POST"))) {
            mvc.perform(request).andExpect(status().isForbidden());
        }
        // the inference protocols' paths answer in their own form, as their other errors do
        mvc.perform(get("/v2/models/iris-example").header("Origin", EVIL))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.error", containsString("cross-origin")));
        mvc.perform(get("/models/iris-example")).andExpect(status().isOk());
    }

    @Test
    void theServicesOwnPagesAndClientsWithoutAnOriginPass() throws Exception {
        long before = datasetCount();
        mvc.perform(multipart("/datasets").file(iris()).param("name", "same-origin").header("Origin", "http://localhost"))
                .andExpect(status().isCreated());
        mvc.perform(multipart("/datasets").file(iris()).param("name", "no-origin"))
                .andExpect(status().isCreated());
        assertThat(datasetCount()).isEqualTo(before + 2);
    }

    /**
     * DNS rebinding: a page on the attacker's name, re-pointed at 127.0.0.1, is same-origin with itself (its name in
     * both Host and Origin). Without keys the instance answers only to loopback names, so nothing is stored.
     */
    @Test
    void aRequestAddressedToAnotherNameIsRefusedWithoutKeys() throws Exception {
        int before = datasetCount();
        mvc.perform(multipart("/datasets").file(iris()).param("name", "rebound")
                        .header("Host", "attacker.example:8080").header("Origin", "http://attacker.example:8080"))
                .andExpect(status().isForbidden())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail", containsString("DNS rebinding")));
        mvc.perform(delete("/models/iris-example").header("Host", "attacker.example"))
                .andExpect(status().isForbidden());
        mvc.perform(get("/models/iris-example")).andExpect(status().isOk());
        assertThat(datasetCount()).isEqualTo(before);
    }

    /** The dashboard cannot be framed by another site (its buttons start and cancel jobs), nor any answer sniffed. */
    @Test
    void everyAnswerForbidsFramingAndSniffing() throws Exception {
        for (var request : java.util.List.of(get("/"), get("/datasets"), get("/no/such/page"),
                multipart("/datasets").file(iris()).header("Origin", EVIL))) {
            mvc.perform(request)
                    .andExpect(header().string("X-Frame-Options", "DENY"))
                    .andExpect(header().string("Content-Security-Policy", "frame-ancestors 'none'"))
                    .andExpect(header().string("X-Content-Type-Options", "nosniff"))
                    .andExpect(header().string("Referrer-Policy", "no-referrer"));
        }
    }

    @Test
    void loopbackNamesAreThisMachine() {
        for (String host : java.util.List.of("localhost", "LOCALHOST:8080", "127.0.0.1", "127.0.0.1:18080",
                "127.1.2.3:80", "[::1]", "[::1]:8080", "app.localhost:3000")) {
            assertThat(LoopbackHostFilter.isLoopbackName(host)).as(host).isTrue();
        }
        for (String host : java.util.List.of("attacker.example", "localhost.attacker.example", "127.0.0.1.nip.io",
                "10.0.0.1", "[::2]", "localhost:80:80", "localhost:abc", "[::1]x", "", "0.0.0.0")) {
            assertThat(LoopbackHostFilter.isLoopbackName(host)).as(host).isFalse();
        }
    }
}
