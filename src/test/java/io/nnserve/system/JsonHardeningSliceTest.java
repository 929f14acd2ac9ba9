package io.nnserve.system;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Controller slices read JSON as the running service does: the strict mapper reaches {@code @WebMvcTest} through
 * {@code src/test/resources/META-INF/spring/...AutoConfigureWebMvc.imports}, so every feature's controller tests
 * see unknown fields, NaN and coercions refused.
 */
@WebMvcTest(controllers = JsonHardeningTest.EchoController.class)
@Import(JsonHardeningTest.EchoController.class)
class JsonHardeningSliceTest {

    @Autowired
    MockMvc mvc;

    @Test
    void unknownFieldsAndNonFiniteNumbersAreRefusedInSlices() throws Exception {
        mvc.perform(post("/test/json-probe").contentType(MediaType.APPLICATION_JSON).content("{\"epochz\": 1}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("epochz"));
        mvc.perform(post("/test/json-probe").contentType(MediaType.APPLICATION_JSON).content("{\"rate\": \"NaN\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("rate"));
        mvc.perform(post("/test/json-probe").contentType(MediaType.APPLICATION_JSON).content("{\"count\": 2}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.count").value(2));
    }
}
