package io.nnserve.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.RequestBuilder;
import org.springframework.test.web.servlet.ResultActions;

import io.nnserve.nn.IdxReader;

/** The nnserve.limits.* that apply to datasets, enforced while the upload is read: 413 for bytes, 400 for sizes. */
@SpringBootTest(properties = {
    "nnserve.limits.max-json-body-bytes=2000",
    "nnserve.limits.max-upload-bytes=20000",
    "nnserve.limits.max-rows=20",
    "nnserve.limits.max-features=100",
    "nnserve.limits.max-dataset-values=500",
    "nnserve.limits.max-classes=3"})
@AutoConfigureMockMvc
class DatasetLimitsTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    private long datasets() {
        return jdbc.sql("SELECT COUNT(*) FROM datasets").query(Long.class).single();
    }

    /** The built-in samples exceed these limits: start-up must not depend on them. */
    @Test
    void builtInSamplesAreRegisteredWhateverTheUploadLimits() {
        assertThat(jdbc.sql("SELECT COUNT(*) FROM datasets WHERE id IN ('iris', 'digits')").query(Long.class).single())
                .isEqualTo(2);
    }

    private ResultActions refused(RequestBuilder request, int status, String property) throws Exception {
        long before = datasets();
        ResultActions result = mvc.perform(request)
                .andExpect(status().is(status))
                .andExpect(jsonPath("$.detail", containsString("nnserve.limits." + property)));
        if (status == 413) {
            // every 413, whichever layer noticed, names its limit and property as members a client can read
            result.andExpect(jsonPath("$.property").value("nnserve.limits." + property))
                    .andExpect(jsonPath("$.limit").isNumber());
        }
        assertThat(datasets()).isEqualTo(before);
        return result;
    }

    private static byte[] gzip(byte[] header, long zeros) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(header);
            byte[] block = new byte[64 * 1024];
            for (long written = 0; written < zeros; written += block.length) {
                gz.write(block);
            }
        }
        return out.toByteArray();
    }

    @Test
    void jsonBodyOverTheByteLimitIs413() throws Exception {
        StringBuilder json = new StringBuilder("{\"features\": [");
        for (int i = 0; i < 300; i++) {
            json.append(i == 0 ? "" : ",").append("[1.25]");
        }
        json.append("], \"labels\": []}");
        refused(post("/datasets").contentType(MediaType.APPLICATION_JSON).content(json.toString()), 413, "max-json-body-bytes");
    }

    @Test
    void csvBodyOverTheByteLimitIs413() throws Exception {
        byte[] csv = ("x,l\n" + "1,a\n".repeat(6000)).getBytes(StandardCharsets.UTF_8);
        refused(post("/datasets").contentType("text/csv").content(csv), 413, "max-upload-bytes");
    }

    @Test
    void gzippedCsvThatExpandsPastTheLimitIs413WhileStreaming() throws Exception {
        byte[] bomb = gzip("x,l\n".getBytes(StandardCharsets.UTF_8), 10_000_000);
        assertThat(bomb.length).isLessThan(20_000);
        refused(multipart("/datasets").file(new MockMultipartFile("file", "bomb.csv.gz", "application/gzip", bomb)), 413,
                "max-upload-bytes").andExpect(jsonPath("$.detail", containsString("decompresses to more than")));
    }

    @Test
    void idxGzipBombIs413() throws Exception {
        byte[] header = ByteBuffer.allocate(16).putInt(IdxReader.IMAGES_MAGIC).putInt(10_000).putInt(28).putInt(28).array();
        byte[] bomb = gzip(header, 10_000 * 784);
        byte[] labels = IdxFiles.labels(0, 1);
        refused(multipart("/datasets").file(new MockMultipartFile("images", bomb)).file(new MockMultipartFile("labels", labels)),
                413, "max-upload-bytes");
    }

    @Test
    void rowsFeaturesValuesAndClassesAre400NamingTheLimit() throws Exception {
        refused(post("/datasets").contentType("text/csv").content("x,l\n" + "1,a\n2,b\n".repeat(11)), 400, "max-rows")
                .andExpect(jsonPath("$.errors[0].message", containsString("20")));
        StringBuilder wide = new StringBuilder();
        for (int i = 0; i <= 101; i++) {
            wide.append(i == 0 ? "" : ",").append("c").append(i);
        }
        refused(post("/datasets").contentType("text/csv").content(wide + "\n"), 400, "max-features");
        refused(post("/datasets").contentType("text/csv").content("a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u,v,w,x,y,z,l\n"
                + ("1,".repeat(26) + "a\n").repeat(19) + ("2,".repeat(26) + "b\n")), 400, "max-dataset-values");
        refused(post("/datasets").contentType(MediaType.APPLICATION_JSON)
                .content("{\"features\": [[1], [2], [3], [4]], \"labels\": [\"a\", \"b\", \"c\", \"d\"]}"), 400, "max-classes");
        refused(multipart("/datasets").file(new MockMultipartFile("images", IdxFiles.images(21, 2, 2)))
                .file(new MockMultipartFile("labels", IdxFiles.labels(new int[21]))), 400, "max-rows");
        refused(multipart("/datasets").file(new MockMultipartFile("images", IdxFiles.images(2, 11, 11)))
                .file(new MockMultipartFile("labels", IdxFiles.labels(0, 1))), 400, "max-features");
    }
}
