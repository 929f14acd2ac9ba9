package io.nnserve.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.nnserve.support.RawHttp;
import io.nnserve.support.RawHttp.Answer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hostile query strings on every operation that the OpenAPI document says takes query parameters: values of the
 * wrong type or out of range, percent-escapes that are malformed or not UTF-8, and single-valued parameters given
 * twice. Requests go over a plain socket, so that the bytes on the wire are exactly the test's (an HTTP client
 * would refuse to send {@code %zz}). No answer may be a 5xx; every refusal is problem+json that names no Java type.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "nnserve.jobs.workers-enabled=false")
class QueryParameterTest {

    /** Escapes Tomcat cannot decode: bad hex, a lone '%', bytes that are not UTF-8, overlong and surrogate forms. */
    private static final List<String> UNDECODABLE = List.of("%FF", "%zz", "%", "%4", "%C0%80", "%ED%A0%80", "a%E2%82");
    private static final List<String> WRONG_VALUES = List.of("", "abc", "-1", "0", "99999999999999999999", "0x10",
            "1e3", "NaN", "%00", "%0A", "+", "%EF%BC%91", "x".repeat(3000), "%C3%A9", "[]", "%7B%7D");
    private static final String CSV = "a,b,label\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n";

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    /** The operations with query parameters: "METHOD path-template" to their parameters' names. */
    private final Map<String, List<String>> operations = new LinkedHashMap<>();

    @BeforeEach
    void readTheDocument() throws IOException {
        Answer document = send("GET", "/v3/api-docs", null, null);
        assertThat(document.status()).isEqualTo(200);
        json.readTree(document.body()).get("paths").properties().forEach(path -> path.getValue().properties()
                .forEach(operation -> {
                    List<String> names = new ArrayList<>();
                    for (JsonNode parameter : operation.getValue().path("parameters")) {
                        if (parameter.path("in").asString().equals("query")) {
                            names.add(parameter.path("name").asString());
                        }
                    }
                    if (!names.isEmpty()) {
                        operations.put(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), names);
                    }
                }));
        // the document lists what the test covers: if these went missing, the test would check nothing
        assertThat(operations).containsKeys("GET /jobs", "GET /models", "POST /datasets", "GET /jobs/{id}/loss",
                "GET /datasets/{id}/rows");
    }

    @Test
    void undecodableQueryStringsAre400sWhateverTheParameter() throws IOException {
        List<String> failures = new ArrayList<>();
        forEachOperation((operation, target, names) -> {
            for (String escape : UNDECODABLE) {
                // on a parameter the operation reads, and on one it ignores: the whole query string is parsed
                for (String query : List.of(names.get(0) + "=" + escape, "unused=" + escape + "&" + names.get(0) + "=1")) {
                    Answer answer = sendFor(operation, target + "?" + query);
                    String atFault = query.substring(0, query.indexOf('='));
                    if (answer.status() != 400 || !isProblem(answer) || !answer.body().contains("UTF-8")
                            || !json.readTree(answer.body()).at("/errors/0/field").asString("").equals(atFault)) {
                        failures.add(operation + "?" + query + " -> " + answer);
                    }
                }
                // an undecodable name is named as sent
                Answer badName = sendFor(operation, target + "?x" + escape + "=1");
                if (badName.status() != 400 || !json.readTree(badName.body()).at("/errors/0/field").asString("")
                        .equals("x" + escape)) {
                    failures.add(operation + "?x" + escape + "=1 -> " + badName);
                }
            }
        });
        assertThat(failures).isEmpty();
    }

    /**
     * The inference protocols' endpoints take no query parameters, but Tomcat parses the query string all the same:
     * their answer is the protocols' {@code {"error"}} 400, not a 500 and a stack trace in the log (the health probes
     * included, which need no key).
     */
    @Test
    void undecodableQueryStringsOnTheInferenceProtocolsAre400sInTheirOwnForm() throws IOException {
        String row = "{\"instances\": [[5.1, 3.5, 1.4, 0.2]]}";
        String tensor = "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 4], \"datatype\": \"FP64\", "
                + "\"data\": [5.1, 3.5, 1.4, 0.2]}]}";
        List<String> failures = new ArrayList<>();
        for (String escape : UNDECODABLE) {
            for (String[] request : List.of(new String[] {"GET", "/v2/health/live", null}, new String[] {"GET", "/v2/health/ready", null},
                    new String[] {"GET", "/v2", null},
                    new String[] {"GET", "/v2/models/iris-example", null}, new String[] {"GET", "/v1/models/iris-example", null},
                    new String[] {"POST", "/v2/models/iris-example/infer", tensor},
                    new String[] {"POST", "/v1/models/iris-example:predict", row})) {
                Answer answer = send(request[0], request[1] + "?x=" + escape, request[2] == null ? null : "application/json",
                        request[2]);
                if (answer.status() != 400 || !answer.contentType().startsWith("application/json")
                        || !json.readTree(answer.body()).path("error").asString("").contains("'x'")) {
                    failures.add(request[0] + " " + request[1] + "?x=" + escape + " -> " + answer);
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void aSingleValuedParameterGivenTwiceIsA400NamingIt() throws IOException {
        Answer models = send("GET", "/models?limit=1&limit=2", null, null);
        assertThat(models.status()).isEqualTo(400);
        JsonNode problem = json.readTree(models.body());
        assertThat(problem.get("detail").asString()).isEqualTo("The parameter 'limit' is given 2 times; give it once.");
        assertThat(problem.at("/errors/0/field").asString()).isEqualTo("limit");

        Answer dataset = send("POST", "/datasets?name=a&name=b&label=label", "text/csv", CSV);
        assertThat(dataset.status()).as(dataset.toString()).isEqualTo(400);
        assertThat(dataset.body()).contains("'name' is given 2 times");
        assertThat(send("GET", "/datasets", null, null).body()).doesNotContain("\"a,b\"");

        // a list parameter repeats by design
        Answer classes = send("POST", "/datasets?name=repeated-list&classNames=x&classNames=y", "text/csv", CSV);
        assertThat(classes.status()).as(classes.toString()).isEqualTo(201);
        assertThat(json.readTree(classes.body()).get("classNames").toString()).isEqualTo("[\"x\",\"y\"]");
    }

    @Test
    void aParameterTheEndpointDoesNotTakeIsA400NamingIt() throws IOException {
        int before = json.readTree(send("GET", "/datasets", null, null).body()).size();
        // a misspelt ?label= would have left the last column as the label
        Answer dataset = send("POST", "/datasets?name=typo&lable=a", "text/csv", CSV);
        assertThat(dataset.status()).as(dataset.toString()).isEqualTo(400);
        JsonNode problem = json.readTree(dataset.body());
        assertThat(problem.get("detail").asString()).isEqualTo(
                "The parameter 'lable' is not a parameter of this endpoint; it takes name, label, classNames, header.");
        assertThat(problem.at("/errors/0/field").asString()).isEqualTo("lable");
        assertThat(json.readTree(send("GET", "/datasets", null, null).body()).size()).isEqualTo(before);

        Answer cancel = send("POST", "/jobs/" + UUID.randomUUID() + "/cancel?force=true&reason=x", null, null);
        assertThat(cancel.status()).isEqualTo(400);
        JsonNode refused = json.readTree(cancel.body());
        assertThat(refused.get("errors").findValuesAsString("field")).containsExactly("force", "reason");
        assertThat(refused.at("/errors/0/message").asString()).isEqualTo("is not a parameter of this endpoint, which takes none");

        // reads ignore what they do not know, as web services usually do: a cache buster, a page size for a list
        assertThat(send("GET", "/datasets?limit=10&_=1732800000", null, null).status()).isEqualTo(200);
        assertThat(send("GET", "/jobs?page=0&pagesize=5", null, null).status()).isEqualTo(200);

        // pages, documents and the actuator read their own parameters, or none: left alone
        for (String target : List.of("/?v=2", "/app.js?v=2", "/actuator/health?x=1", "/v3/api-docs?x=1")) {
            assertThat(send("GET", target, null, null).status()).as(target).isEqualTo(200);
        }
    }

    @Test
    void wrongOrRepeatedValuesNeverCauseAServerErrorOrNameAJavaType() throws IOException {
        List<String> failures = new ArrayList<>();
        forEachOperation((operation, target, names) -> {
            for (String name : names) {
                List<String> queries = new ArrayList<>();
                WRONG_VALUES.forEach(v -> queries.add(name + "=" + v));
                queries.add(name + "=1&" + name + "=2");
                queries.add(name + "=abc&" + name + "=abc&" + name + "=abc");
                for (String query : queries) {
                    Answer answer = sendFor(operation, target + "?" + query);
                    boolean refusedWell = answer.status() >= 400 && answer.status() < 500 && isProblem(answer)
                            && !answer.body().contains("java") && !answer.body().contains("[L")
                            && !answer.body().contains("Exception");
                    if (answer.status() >= 500 || answer.status() >= 400 && !refusedWell) {
                        failures.add(operation + "?" + query + " -> " + answer);
                    }
                }
            }
        });
        assertThat(failures).isEmpty();
    }

    @Test
    void aNumberOfTheWrongFormOrRangeIsExplainedInTheUsersTerms() throws IOException {
        JsonNode word = json.readTree(send("GET", "/jobs?size=abc", null, null).body());
        assertThat(word.get("detail").asString())
                .isEqualTo("The parameter 'size' must be a whole number in decimal digits, not 'abc'.");
        assertThat(word.at("/errors/0/field").asString()).isEqualTo("size");
        JsonNode big = json.readTree(send("GET", "/jobs?page=2147483648", null, null).body());
        assertThat(big.get("detail").asString()).isEqualTo(
                "The parameter 'page' is '2147483648', outside the range from -2147483648 to 2147483647.");
    }

    interface OperationCheck {
        void check(String operation, String target, List<String> names) throws IOException;
    }

    /** Each operation with its path filled in: things a fresh instance has, a random id for a job. */
    private void forEachOperation(OperationCheck check) throws IOException {
        for (Map.Entry<String, List<String>> e : operations.entrySet()) {
            String path = e.getKey().substring(e.getKey().indexOf(' ') + 1);
            String target = path.replace("/datasets/{id}", "/datasets/iris").replace("/models/{id}", "/models/iris-example")
                    .replace("{name}", "iris-example").replace("{id}", UUID.randomUUID().toString());
            check.check(e.getKey(), target, e.getValue());
        }
    }

    private Answer sendFor(String operation, String target) throws IOException {
        String method = operation.substring(0, operation.indexOf(' '));
        return method.equals("POST") ? send(method, target, "text/csv", CSV) : send(method, target, null, null);
    }

    private boolean isProblem(Answer answer) {
        return answer.contentType().startsWith("application/problem+json")
                && json.readTree(answer.body()).path("detail").isString();
    }

    /** One HTTP/1.1 request with the request target exactly as given, on a connection of its own. */
    private Answer send(String method, String target, String contentType, String body) throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Connection: close\r\nAccept: */*\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(content.length).append("\r\n");
        }
        return RawHttp.exchange(port, head.append("\r\n").toString(), content);
    }
}
