package io.nnserve.system;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.options;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/**
 * CORS with one allowed origin: its pre-flight and its requests get the Access-Control headers; another origin's
 * are refused with a 403 problem, as every other error is answered.
 */
@SpringBootTest(properties = {"nnserve.security.cors-allowed-origins=https://app.example.com",
        "nnserve.jobs.workers-enabled=false"})
@AutoConfigureMockMvc
class CorsTest {

    @Autowired
    MockMvc mvc;

    @Test
    void theAllowedOriginGetsItsHeaders() throws Exception {
        mvc.perform(options("/predict").header("Origin", "https://app.example.com")
                        .header("Access-Control-Request-Method", "POST")
                        .header("Access-Control-Request-Headers", "Content-Type, Authorization"))
                .andExpect(status().isOk())
                .andExpect(header().string("Access-Control-Allow-Origin", "https://app.example.com"))
                .andExpect(header().string("Access-Control-Allow-Methods", containsString("POST")));
        mvc.perform(get("/models").header("Origin", "https://app.example.com"))
                .andExpect(status().isOk())
                .andExpect(header().string("Access-Control-Allow-Origin", "https://app.example.com"))
                .andExpect(header().string("Access-Control-Expose-Headers", containsString("Location")));
    }

    @Test
    void anotherOriginIsA403Problem() throws Exception {
        for (var request : java.util.List.of(
                get("/models").header("Origin", "https://evil.example.com"),
                options("/predict").header("Origin", "https://evil.example.com")
                        .header("Access-Control-Request-Method", "POST"),
                options("/predict").header("Origin", "https://app.example.com")
                        .header("Access-Control-Request-Method", "PUT"))) {
            mvc.perform(request)
                    .andExpect(status().isForbidden())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.status").value(403))
                    .andExpect(jsonPath("$.detail", containsString("nnserve.security.cors-allowed-origins")))
                    .andExpect(header().doesNotExist("Access-Control-Allow-Origin"));
        }
    }
}
