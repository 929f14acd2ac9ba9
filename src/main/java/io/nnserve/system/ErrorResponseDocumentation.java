package io.nnserve.system;

import java.util.List;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;

import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * Declares in the OpenAPI document the error answers that follow from an operation's shape, so that a client
 * generated from it knows them: 400 where there is a body or a query parameter to get wrong, 404 where the path
 * names something, 413 and 415 where there is a body, 401 and 403 where {@link AccessPolicy} asks for a key, 503
 * where the database is read. The errors that depend on state (409 for a dataset in use, a damaged model, a finished
 * job; 429 for a full queue) are annotated on their operations. Every error response gets its body's schema:
 * {@code Problem} (RFC 9457) or, on the inference-protocol paths, the protocols' {@code {"error": "..."}}.
 */
final class ErrorResponseDocumentation implements OpenApiCustomizer {

    static final String PROBLEM = "Problem";
    static final String PROTOCOL_ERROR = "ProtocolError";

    /** The paths whose operations read datasets, jobs or models from the database. */
    private static final List<String> STORED = List.of("/datasets", "/jobs", "/train", "/models", "/predict",
            "/v1/models", "/v2/models");

    private final AccessPolicy access = new AccessPolicy(true);

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getComponents() == null) {
            openApi.setComponents(new Components());
        }
        openApi.getComponents().addSchemas(PROBLEM, problemSchema()).addSchemas(PROTOCOL_ERROR, protocolErrorSchema());
        if (openApi.getPaths() == null) {
            return;
        }
        openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                document(path, method, operation)));
    }

    private void document(String path, PathItem.HttpMethod method, Operation operation) {
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
        ApiResponses responses = operation.getResponses();
        boolean protocol = ProblemResponses.isInferenceProtocol(path);
        boolean body = operation.getRequestBody() != null;
        boolean query = operation.getParameters() != null
                && operation.getParameters().stream().anyMatch(p -> "query".equals(p.getIn()));
        if (body || query) {
            add(responses, "400", "Invalid input: 'detail' says what to fix"
                    + (protocol ? "" : "; 'errors' lists each field or parameter at fault"));
        }
        if (path.contains("{")) {
            add(responses, "404", "Nothing has this " + (path.contains("{name}") ? "name" : "id"));
        }
        if (body) {
            add(responses, "413", "The body is over the limit of nnserve.limits ('detail' names it)");
            add(responses, "415", "A Content-Type this operation does not take ('detail' lists those it does)");
        }
        if (!access.requirement(method.name(), path.replaceAll("\\{[^}]*}", "x")).open()) {
            add(responses, "401", "No valid API key (only when the instance has API keys)");
            add(responses, "403", "The API key lacks the scope this operation needs");
        }
        if (STORED.stream().anyMatch(prefix -> path.equals(prefix) || path.startsWith(prefix + "/")
                || path.startsWith(prefix + ":"))) {
            add(responses, "503", "The database cannot be reached; retry later");
        }
        Content content = new Content().addMediaType(protocol ? "application/json" : "application/problem+json",
                new MediaType().schema(new Schema<Object>().$ref("#/components/schemas/"
                        + (protocol ? PROTOCOL_ERROR : PROBLEM))));
        // the protocol's health probes are the exception: their 503 ("not live", "not ready") has their usual body
        boolean healthProbe = path.startsWith("/v2/health/");
        responses.forEach((status, response) -> {
            if (status.startsWith("4") || (status.startsWith("5") && !healthProbe)) {
                response.setContent(content);
            }
        });
    }

    private static void add(ApiResponses responses, String status, String description) {
        if (!responses.containsKey(status)) {
            responses.addApiResponse(status, new ApiResponse().description(description));
        }
    }

    private static Schema<?> problemSchema() {
        Schema<?> fieldProblem = new ObjectSchema()
                .addProperty("field", new StringSchema().description("a field's JSON path (rows[3][1]), a parameter,"
                        + " or a place in a file (row 3, column 2)"))
                .addProperty("message", new StringSchema().description("what is wrong there"));
        fieldProblem.setRequired(List.of("field", "message"));
        Schema<?> problem = new ObjectSchema()
                .description("An RFC 9457 problem: what went wrong and what to fix. Never a stack trace, SQL or a"
                        + " server path.")
                .addProperty("type", new StringSchema().example("about:blank"))
                .addProperty("title", new StringSchema().example("Invalid input"))
                .addProperty("status", new IntegerSchema().example(400))
                .addProperty("detail", new StringSchema().description("what to fix, in a sentence"))
                .addProperty("instance", new StringSchema().description("the request's path"))
                .addProperty("errors", new ArraySchema().items(fieldProblem)
                        .description("every field or parameter at fault, when there are such"))
                .addProperty("limit", new IntegerSchema().format("int64").description("413: the limit exceeded"))
                .addProperty("property", new StringSchema().description("413: the configuration property that sets"
                        + " the limit"));
        problem.setRequired(List.of("type", "title", "status", "detail"));
        return problem;
    }

    private static Schema<?> protocolErrorSchema() {
        Schema<?> error = new ObjectSchema()
                .description("The inference protocols' error body (Open Inference Protocol v2, KServe v1)")
                .addProperty("error", new StringSchema().description("what went wrong and what to fix"));
        error.setRequired(List.of("error"));
        return error;
    }
}
