package io.nnserve.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code GET /datasets/{id}/rows}: the registered values and labels, also across storage chunk boundaries. */
@SpringBootTest
@AutoConfigureMockMvc
class DatasetRowsTest {

    @Autowired
    MockMvc mvc;

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void rowsOfTheBuiltInDigitsAreTheSampleFileRows() throws Exception {
        List<String> lines = digitsLines();

        JsonNode page = getJson("/datasets/digits/rows?offset=5&limit=3");

        assertThat(page.get("datasetId").asString()).isEqualTo("digits");
        assertThat(page.get("offset").asInt()).isEqualTo(5);
        assertThat(page.get("total").asInt()).isEqualTo(1797);
        assertThat(page.get("rows")).hasSize(3);
        for (int k = 0; k < 3; k++) {
            JsonNode row = page.get("rows").get(k);
            String[] cells = lines.get(5 + k).split(",");
            assertThat(row.get("index").asInt()).isEqualTo(5 + k);
            assertThat(row.get("features")).hasSize(64);
            for (int j = 0; j < 64; j++) {
                assertThat(row.get("features").get(j).asDouble()).isEqualTo(Double.parseDouble(cells[j]));
            }
            assertThat(row.get("className").asString()).isEqualTo(cells[64]);
            assertThat(row.get("label").asInt()).isEqualTo(Integer.parseInt(cells[64]));
        }
    }

    @Test
    void theLastPageIsShortAndDefaultsReadTenRows() throws Exception {
        assertThat(getJson("/datasets/iris/rows?offset=148&limit=5").get("rows")).hasSize(2);
        assertThat(getJson("/datasets/iris/rows").get("rows")).hasSize(10);
    }

    @Test
    void rowsAcrossChunkBoundariesOfValuesAndLabels() throws Exception {
        // 262,144 float32 values and as many int32 labels fill one 1 MiB chunk: rows 262,143 and 262,144 straddle both.
        int rows = 262_150;
        StringBuilder csv = new StringBuilder("x,label\n");
        for (int i = 0; i < rows; i++) {
            csv.append(i).append(".5,").append(i % 3 == 0 ? "a" : i % 3 == 1 ? "b" : "c").append('\n');
        }
        String body = mvc.perform(post("/datasets?name=long").contentType("text/csv").content(csv.toString()))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        String id = json.readTree(body).get("id").asString();

        JsonNode page = getJson("/datasets/" + id + "/rows?offset=262142&limit=4");

        assertThat(page.get("rows")).hasSize(4);
        for (int k = 0; k < 4; k++) {
            int i = 262_142 + k;
            JsonNode row = page.get("rows").get(k);
            assertThat(row.get("features").get(0).asDouble()).as("row %d", i).isEqualTo(i + 0.5);
            assertThat(row.get("label").asInt()).as("row %d", i).isEqualTo(i % 3);
        }
    }

    @Test
    void unknownDatasetOffsetPastTheEndAndBadLimitAreProblems() throws Exception {
        mvc.perform(get("/datasets/nope/rows")).andExpect(status().isNotFound());
        mvc.perform(get("/datasets/iris/rows?offset=150"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("Dataset 'iris' has 150 rows, numbered from 0 to 149."))
                .andExpect(jsonPath("$.errors[0].field").value("offset"));
        mvc.perform(get("/datasets/iris/rows?limit=0")).andExpect(status().isBadRequest());
        mvc.perform(get("/datasets/iris/rows?offset=-1")).andExpect(status().isBadRequest());
    }

    private JsonNode getJson(String path) throws Exception {
        String body = mvc.perform(get(path)).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        return json.readTree(body);
    }

    /** The data lines (header dropped) of the digits sample the service registers. */
    private static List<String> digitsLines() throws IOException {
        try (InputStream in = new GZIPInputStream(DatasetRowsTest.class.getResourceAsStream("/samples/digits.csv.gz"));
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines().skip(1).toList();
        }
    }
}
