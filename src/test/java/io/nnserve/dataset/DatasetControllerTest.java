package io.nnserve.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.RequestBuilder;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMultipartHttpServletRequestBuilder;

import com.jayway.jsonpath.JsonPath;

import io.nnserve.nn.Samples;
import io.nnserve.system.NotFoundException;

/** Every /datasets endpoint over MockMvc on the real service and an H2 database, with every error case. */
@SpringBootTest
@AutoConfigureMockMvc
class DatasetControllerTest {

    private static final MediaType CSV = MediaType.parseMediaType("text/csv");
    private static final MediaType PROBLEM = MediaType.APPLICATION_PROBLEM_JSON;

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Datasets datasets;

    @MockitoBean
    DatasetUsage usage;

    private long storedBefore;

    /** Rows in all dataset tables: a rejected upload must not change it. */
    private long stored() {
        return jdbc.sql("SELECT (SELECT COUNT(*) FROM datasets) + (SELECT COUNT(*) FROM dataset_chunks)"
                + " + (SELECT COUNT(*) FROM dataset_classes)").query(Long.class).single();
    }

    @BeforeEach
    void countStored() {
        storedBefore = stored();
    }

    private ResultActions rejected(RequestBuilder request, int status) throws Exception {
        ResultActions result = mvc.perform(request)
                .andExpect(status().is(status))
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.status").value(status))
                .andExpect(jsonPath("$.title").exists())
                .andExpect(jsonPath("$.detail").exists());
        assertThat(stored()).as("nothing stored from a rejected upload").isEqualTo(storedBefore);
        return result;
    }

    private ResultActions invalid(RequestBuilder request, String field, String message) throws Exception {
        return rejected(request, 400)
                .andExpect(jsonPath("$.errors[0].field").value(field))
                .andExpect(jsonPath("$.errors[0].message", containsString(message)))
                .andExpect(jsonPath("$.detail", startsWith("The dataset was not stored: ")));
    }

    private static MockHttpServletRequestBuilder json(String body) {
        return post("/datasets").contentType(MediaType.APPLICATION_JSON).content(body);
    }

    private static MockHttpServletRequestBuilder csv(String body) {
        return post("/datasets").contentType(CSV).content(body.getBytes(StandardCharsets.UTF_8));
    }

    private static MockMultipartHttpServletRequestBuilder idx(byte[] images, byte[] labels) {
        return multipart("/datasets")
                .file(new MockMultipartFile("images", "train-images-idx3-ubyte.gz", "application/octet-stream", images))
                .file(new MockMultipartFile("labels", "train-labels-idx1-ubyte.gz", "application/octet-stream", labels));
    }

    private static String id(MvcResult result) throws Exception {
        return JsonPath.read(result.getResponse().getContentAsString(), "$.id");
    }

    private String created(RequestBuilder request) throws Exception {
        MvcResult result = mvc.perform(request)
                .andExpect(status().isCreated())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.createdAt").exists())
                .andReturn();
        String id = id(result);
        assertThat(result.getResponse().getHeader("Location")).isEqualTo("/datasets/" + id);
        assertThat(id).matches("[A-Za-z0-9._-]{1,64}");
        return id;
    }

    // ---- GET

    @Test
    void listsTheBuiltInSamples() throws Exception {
        mvc.perform(get("/datasets"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[*].id", hasItems("iris", "digits")))
                .andExpect(jsonPath("$[?(@.id == 'iris')].classNames[*]", hasItems("setosa", "versicolor", "virginica")))
                .andExpect(jsonPath("$[?(@.id == 'digits')].rows", hasItems(1797)));
    }

    @Test
    void describesOne() throws Exception {
        mvc.perform(get("/datasets/iris"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.id").value("iris"))
                .andExpect(jsonPath("$.name").value("iris"))
                .andExpect(jsonPath("$.rows").value(150))
                .andExpect(jsonPath("$.features").value(4))
                .andExpect(jsonPath("$.classes").value(3))
                .andExpect(jsonPath("$.classNames[2]").value("virginica"))
                .andExpect(jsonPath("$.createdAt").isString());
    }

    @Test
    void unknownAndMalformedIdsAre404() throws Exception {
        rejected(get("/datasets/nope"), 404).andExpect(jsonPath("$.detail", containsString("'nope'")));
        rejected(get("/datasets/" + "a".repeat(65)), 404);
        rejected(get("/datasets/a%20b"), 404);
        assertThatThrownBy(() -> datasets.load("nope")).isInstanceOf(NotFoundException.class);
        assertThat(datasets.find("../etc/passwd")).isEmpty();
    }

    // ---- POST JSON

    @Test
    void registersJson() throws Exception {
        String id = created(json("""
                {"name": "xor", "features": [[0, 0], [0, 1], [1, 0], [1, 1.5]], "labels": ["no", "yes", "yes", "no"]}"""));
        mvc.perform(get("/datasets/" + id))
                .andExpect(jsonPath("$.name").value("xor"))
                .andExpect(jsonPath("$.rows").value(4))
                .andExpect(jsonPath("$.features").value(2))
                .andExpect(jsonPath("$.classes").value(2))
                .andExpect(jsonPath("$.classNames[0]").value("no"));
        Samples samples = datasets.load(id).samples();
        assertThat(ParsedData.values(samples)).containsExactly(0, 0, 0, 1, 1, 0, 1, 1.5f);
        assertThat(samples.labels()).containsExactly(0, 1, 1, 0);
    }

    @Test
    void jsonProblemsAreListedAndNothingIsStored() throws Exception {
        invalid(json("{\"features\": [[1, \"a\"], [2]], \"labels\": [0, 1.5]}"), "features[0][1]", "is a string")
                .andExpect(jsonPath("$.errors[1].field").value("features[1]"))
                .andExpect(jsonPath("$.errors[2].field").value("labels[1]"));
        invalid(json("{\"features\": [[1], [NaN]], \"labels\": [0, 1]}"), "body", "NaN");
        invalid(json("{\"features\": [[1], [2]], \"labels\": [0, 1], \"colour\": 1}"), "colour", "unknown field");
        invalid(json("{\"features\": [[1], [2]], \"labels\": [1, 1]}"), "labels", "at least 2 classes");
        invalid(json("{\"features\": [], \"labels\": []}"), "features", "no rows");
        invalid(json("{\"features\": [[1], [2]], \"labels\": [0, 3], \"classNames\": [\"a\", \"b\"]}"), "labels[1]", "outside 0..1");
        invalid(json("{\"features\": [[1], [2]], \"labels\": [0, -1]}"), "labels[1]", "negative");
        invalid(json("{\"features\": [[1], [2]], \"labels\": [\"a\", \"b\"], \"classNames\": [\"a\", \"a\"]}"),
                "classNames[1]", "distinct");
        invalid(json("{\"features\": [[1, 2], [3]], \"labels\": [0, 1]"), "body", "not valid JSON");
        invalid(json("{\"features\": [[1], [2]], \"labels\": [0, 1], \"name\": \"a\\u0007b\"}"), "name", "control character");
    }

    // ---- POST CSV

    @Test
    void registersCsvBodyWithBomAndCrLf() throws Exception {
        String id = created(csv("\uFEFFspecies,x,y\r\nb,1,2\r\na,\"3\",4\r\nb,5,6\r\n")
                .param("name", "letters").param("label", "species").param("classNames", "a,b"));
        mvc.perform(get("/datasets/" + id))
                .andExpect(jsonPath("$.name").value("letters"))
                .andExpect(jsonPath("$.rows").value(3))
                .andExpect(jsonPath("$.features").value(2))
                .andExpect(jsonPath("$.classNames[0]").value("a"));
        Samples samples = datasets.load(id).samples();
        assertThat(samples.labels()).containsExactly(1, 0, 1);
        assertThat(ParsedData.values(samples)).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void registersCsvFilePartGzipped() throws Exception {
        byte[] file = IdxFiles.gzip("x,y,digit\n0.5,1,0\n2,3,1\n4,5,2\n".getBytes(StandardCharsets.UTF_8));
        String id = created(multipart("/datasets").file(new MockMultipartFile("file", "small.csv.gz", "application/gzip", file)));
        mvc.perform(get("/datasets/" + id))
                .andExpect(jsonPath("$.name").value("small"))
                .andExpect(jsonPath("$.classNames[2]").value("2"));
        assertThat(datasets.load(id).samples().value(0, 0)).isEqualTo(0.5f);
    }

    @Test
    void csvProblemsNameLineAndColumn() throws Exception {
        invalid(csv("x,y,label\n1,2,a\n3,b\n"), "line 3", "has 2 fields but the header has 3");
        invalid(csv("x,y,label\n1,2,a\n3,abc,b\n"), "line 3, column 2 ('y')", "'abc' is not a number");
        invalid(csv("x,y,label\n1,2,a\n3,NaN,b\n"), "line 3, column 2 ('y')", "not a finite number");
        invalid(csv("x,label\n1,a\"b\n"), "line 2, column 2", "double quote inside an unquoted field");
        invalid(csv("x,label\n1,\"a\n"), "line 2, column 2", "never closed");
        invalid(csv("1.5,2.5,a\n3,4,b\n"), "line 1", "looks like data, not a header");
        invalid(csv(""), "file", "empty");
        invalid(csv("x,label\n1,a\n2,a\n"), "labels", "at least 2 classes");
        invalid(csv("x,label\n1,0\n2,-1\n"), "line 3, column 2 ('label')", "negative");
        invalid(csv("x,label\n1,0\n2,0.5\n"), "line 3, column 2 ('label')", "not a whole number");
        invalid(csv("x,y\n1,2\n").param("label", "class"), "label", "no column 'class'");
        invalid(multipart("/datasets").file(new MockMultipartFile("file", "bad.csv", "text/csv",
                "x,label\n1,a\n2,b\n3\n".getBytes(StandardCharsets.UTF_8))), "line 4", "fields");
        // a part given twice: which one is the dataset? (the second used to be ignored)
        byte[] one = "x,label\n1,a\n2,b\n".getBytes(StandardCharsets.UTF_8);
        invalid(multipart("/datasets").file(new MockMultipartFile("file", "one.csv", "text/csv", one))
                .file(new MockMultipartFile("file", "two.csv", "text/csv", one)), "file", "given 2 times");
    }

    @Test
    void damagedGzipCsvIs400() throws Exception {
        byte[] zipped = IdxFiles.gzip("x,y,label\n0,0,no\n1,1,yes\n2,2,no\n".repeat(20).getBytes(StandardCharsets.UTF_8));
        byte[] cut = Arrays.copyOf(zipped, 20);
        invalid(post("/datasets").contentType(CSV).content(cut), "file", "truncated");
        invalid(multipart("/datasets").file(new MockMultipartFile("file", "t.csv.gz", "application/gzip", cut)),
                "file", "truncated");
        byte[] corrupt = zipped.clone();
        for (int i = 12; i < corrupt.length - 8; i++) {
            corrupt[i] ^= 0x5A;
        }
        invalid(post("/datasets").contentType(CSV).content(corrupt), "file", "gzip");
    }

    @Test
    void aCsvDatasetShowsItsFeatureNamesAndAJsonOneNone() throws Exception {
        String csvId = created(csv("\"first, x\", y ,label\n1,2,a\n3,4,b\n").param("name", "named-columns"));
        mvc.perform(get("/datasets/" + csvId)).andExpect(status().isOk())
                .andExpect(jsonPath("$.featureNames[0]").value("first, x"))
                .andExpect(jsonPath("$.featureNames[1]").value("y"))
                .andExpect(jsonPath("$.featureNames.length()").value(2));
        String jsonId = created(json("{\"features\": [[0], [1]], \"labels\": [0, 1]}"));
        mvc.perform(get("/datasets/" + jsonId)).andExpect(jsonPath("$.featureNames").value(nullValue()));
    }

    @Test
    void anArchiveOrAnotherCompressionIsNamedAsSuch() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            zip.putNextEntry(new java.util.zip.ZipEntry("iris.csv"));
            zip.write("x,y,label\n0,0,no\n1,1,yes\n".getBytes(StandardCharsets.UTF_8));
        }
        invalid(multipart("/datasets").file(new MockMultipartFile("file", "iris.zip", "application/zip", bytes.toByteArray())),
                "file", "is a ZIP archive; nnserve reads files as they are or gzip-compressed: extract the file");
        byte[] xz = {(byte) 0xFD, '7', 'z', 'X', 'Z', 0, 0, 4};
        invalid(post("/datasets").contentType(CSV).content(xz), "file", "xz-compressed");
        byte[] images = IdxFiles.images(2, 2, 2);
        invalid(idx(images, xz), "labels", "labels file is xz-compressed");
    }

    @Test
    void parametersOfCsvUploadsAreRefusedElsewhereAndJsonTakesClassNames() throws Exception {
        String body = "{\"features\": [[0], [1], [2]], \"labels\": [0, 1, 1]}";
        invalid(json(body).param("label", "y"), "label", "applies to CSV uploads only");
        invalid(json(body).param("header", "true"), "header", "applies to CSV uploads only");
        invalid(csv("x,label\n1,a\n2,b\n").param("header", "false"), "header", "needs its header row");
        invalid(json("{\"features\": [[0], [1]], \"labels\": [0, 1], \"classNames\": [\"a\", \"b\"]}")
                .param("classNames", "b", "a"), "classNames", "given in the body and as ?classNames=, differently");
        // the name likewise: which of two names was meant would be a guess (the body's used to win silently)
        invalid(json("{\"name\": \"m\", \"features\": [[0], [1]], \"labels\": [0, 1]}").param("name", "q"), "name",
                "given in the body and as ?name=, differently");
        mvc.perform(json("{\"name\": \"same\", \"features\": [[0], [1]], \"labels\": [0, 1]}").param("name", "same"))
                .andExpect(status().isCreated()).andExpect(jsonPath("$.name").value("same"));
        mvc.perform(json(body).param("name", "from-query")).andExpect(status().isCreated())
                .andExpect(jsonPath("$.name").value("from-query"));
        mvc.perform(json(body).param("classNames", "no", "yes")).andExpect(status().isCreated())
                .andExpect(jsonPath("$.classNames[0]").value("no"))
                .andExpect(jsonPath("$.classNames[1]").value("yes"));
        // a CSV file part takes them
        mvc.perform(multipart("/datasets").file(new MockMultipartFile("file", "n.csv", "text/csv",
                        "0,1,2,3\n0.5,1.5,2.5,1\n1.5,0.5,2.5,0\n".getBytes(StandardCharsets.UTF_8))).param("header", "true"))
                .andExpect(status().isCreated()).andExpect(jsonPath("$.features").value(3));
    }

    @Test
    void csvIsDecodedInTheCharsetItNames() throws Exception {
        byte[] latin1 = "x,label\n1,né\n2,no\n".getBytes(StandardCharsets.ISO_8859_1);
        String id = created(post("/datasets").contentType(MediaType.parseMediaType("text/csv; charset=ISO-8859-1"))
                .content(latin1));
        mvc.perform(get("/datasets/" + id)).andExpect(jsonPath("$.classNames[0]").value("né"));
        String part = created(multipart("/datasets").file(new MockMultipartFile("file", "l.csv",
                "text/csv; charset=ISO-8859-1", latin1)));
        mvc.perform(get("/datasets/" + part)).andExpect(jsonPath("$.classNames[0]").value("né"));
    }

    @Test
    void anUnknownCharsetIsA415ThatNamesIt() throws Exception {
        mvc.perform(post("/datasets").header("Content-Type", "text/csv; charset=bogus-123").content("x,label\n1,a\n"))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString(
                        "names the charset 'bogus-123', which this server does not know")));
    }

    @Test
    void bytesThatAreNotTextInTheCharsetAre400() throws Exception {
        byte[] latin1 = "x,label\n1,né\n2,no\n".getBytes(StandardCharsets.ISO_8859_1);
        invalid(post("/datasets").contentType(CSV).content(latin1), "file", "not valid text");
        invalid(multipart("/datasets").file(new MockMultipartFile("file", "l.csv", "text/csv", latin1)), "file",
                "not valid text");
    }

    @Test
    void anUploadWhoseAnswerCannotBeWrittenIsNotStored() throws Exception {
        rejected(json("{\"features\": [[0], [1]], \"labels\": [0, 1]}").accept(MediaType.APPLICATION_XML), 406);
    }

    // ---- POST IDX

    @Test
    void registersIdxPairGzippedAndRaw() throws Exception {
        byte[] images = IdxFiles.images(3, 28, 28);
        String id = created(idx(IdxFiles.gzip(images), IdxFiles.labels(2, 0, 1)).param("classNames", "zero,one,two"));
        mvc.perform(get("/datasets/" + id))
                .andExpect(jsonPath("$.name").value("train-images"))
                .andExpect(jsonPath("$.rows").value(3))
                .andExpect(jsonPath("$.features").value(784))
                .andExpect(jsonPath("$.classNames[1]").value("one"));
        Samples samples = datasets.load(id).samples();
        assertThat(samples.labels()).containsExactly(2, 0, 1);
        float[] expected = new float[3 * 784];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = images[16 + i] & 0xFF;
        }
        assertThat(ParsedData.values(samples)).isEqualTo(expected);
    }

    @Test
    void idxProblemsAreNamed() throws Exception {
        byte[] images = IdxFiles.images(3, 4, 4);
        byte[] labels = IdxFiles.labels(0, 1, 2);
        invalid(idx("not idx at all".getBytes(StandardCharsets.UTF_8), labels), "images", "magic number");
        invalid(idx(labels, images), "images", "swapped");
        invalid(idx(images, IdxFiles.labels(0, 1)), "labels", "3 images");
        invalid(idx(Arrays.copyOf(images, images.length - 5), labels), "images", "truncated");
        invalid(idx(Arrays.copyOf(images, images.length + 5), labels), "images", "do not match");
        byte[] zipped = IdxFiles.gzip(IdxFiles.images(50, 28, 28));
        invalid(idx(Arrays.copyOf(zipped, zipped.length / 2), labels), "images", "truncated");
        invalid(idx(images, IdxFiles.labels(0, 0, 0)), "labels", "at least 2 classes");
        invalid(idx(images, labels).param("classNames", "a,b"), "labels[2]", "outside 0..1");
    }

    @Test
    void multipartNeedsTheRightParts() throws Exception {
        byte[] images = IdxFiles.images(2, 2, 2);
        invalid(multipart("/datasets").file(new MockMultipartFile("images", images)), "parts", "part 'labels' is missing");
        invalid(multipart("/datasets").file(new MockMultipartFile("labels", IdxFiles.labels(0, 1))), "parts",
                "part 'images' is missing");
        invalid(idx(images, IdxFiles.labels(0, 1)).file(new MockMultipartFile("file", "x,l\n1,a\n".getBytes())), "parts",
                "not both");
        invalid(multipart("/datasets").file(new MockMultipartFile("other", new byte[3])), "parts", "no file");
    }

    @Test
    void otherMediaTypesAre415() throws Exception {
        rejected(post("/datasets").contentType(MediaType.TEXT_PLAIN).content("x,l\n1,a\n"), 415);
        rejected(post("/datasets").contentType(MediaType.APPLICATION_XML).content("<x/>"), 415);
    }

    // ---- DELETE

    @Test
    void deletes() throws Exception {
        String id = created(json("{\"features\": [[1], [2]], \"labels\": [0, 1]}"));
        mvc.perform(delete("/datasets/" + id)).andExpect(status().isNoContent());
        storedBefore = stored();
        rejected(get("/datasets/" + id), 404);
        rejected(delete("/datasets/" + id), 404);
        assertThatThrownBy(() -> datasets.load(id)).isInstanceOf(NotFoundException.class);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM dataset_chunks WHERE dataset_id = ?").param(id).query(Long.class).single())
                .isZero();
    }

    @Test
    void aDatasetInUseIsNotDeleted() throws Exception {
        String id = created(json("{\"features\": [[1], [2]], \"labels\": [0, 1]}"));
        when(usage.usedBy(id)).thenReturn("job 1234 (RUNNING) trains on it; cancel it or wait until it ends.");
        storedBefore = stored();
        rejected(delete("/datasets/" + id), 409)
                .andExpect(jsonPath("$.detail", containsString("job 1234 (RUNNING) trains on it")));
        mvc.perform(get("/datasets/" + id)).andExpect(status().isOk());
    }

    @Test
    void deletingUnknownIdsIs404() throws Exception {
        rejected(delete("/datasets/nope"), 404);
        rejected(delete("/datasets/" + "x".repeat(100)), 404);
    }

    @Test
    void locationPointsAtTheNewDataset() throws Exception {
        String id = created(json("{\"features\": [[1], [2]], \"labels\": [0, 1]}"));
        mvc.perform(get("/datasets/" + id)).andExpect(status().isOk()).andExpect(header().doesNotExist("Location"));
    }
}
