package io.nnserve.training;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import io.nnserve.system.InvalidInputException;
import io.nnserve.system.InvalidInputException.FieldProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import tools.jackson.databind.JsonNode;

/** {@code POST /train} and {@code /jobs/**}: submit, follow, cancel and delete training jobs. */
@RestController
@Tag(name = "Training jobs", description = "Asynchronous training: submit, follow the loss live, cancel, delete")
class JobController {

    static final String CSV = "text/csv";

    private final JobService service;
    private final JobEvents events;

    JobController(JobService service, JobEvents events) {
        this.service = service;
        this.events = events;
    }

    @Operation(summary = "Start a training job",
            description = "Validates the whole request (every problem listed in one 400; an unknown datasetId, "
                    + "validationDatasetId or initialModelId is one of them), commits the job QUEUED and answers 202 "
                    + "with Location /jobs/{id}. Only datasetId is required. A repeated Idempotency-Key with the same "
                    + "body answers the existing job (header Idempotent-Replayed: true); with a different body 409. "
                    + "429 with Retry-After when nnserve.limits.max-active-jobs jobs are queued or running.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = TrainRequest.class),
            examples = {
                    @ExampleObject(name = "digits", summary = "The defaults on the built-in digits",
                            value = "{\"datasetId\": \"digits\"}"),
                    @ExampleObject(name = "iris-sgd", summary = "A few hyperparameters on iris",
                            value = "{\"datasetId\": \"iris\", \"hiddenSize\": 20, \"updateRule\": \"sgd\", "
                                    + "\"learningRate\": 0.1, \"batchSize\": 20, \"epochs\": 50, \"seed\": 7}")}))
    @ApiResponse(responseCode = "202", description = "Queued; Location names the job",
            headers = @Header(name = "Location", description = "/jobs/{id} of the job", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "400", description = "Invalid request; 'errors' lists every field problem",
            content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "409", description = "Idempotency-Key reused with a different body",
            content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "429", description = "Queue full; retry after Retry-After seconds",
            content = @Content(mediaType = "application/problem+json"))
    @PostMapping(path = "/train", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<JobView> train(@RequestBody JsonNode body,
            @Parameter(description = "Makes retries safe: the same key and body return the first job")
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            HttpServletRequest request) {
        // Two keys would make Spring hand over one of them (or both joined by a comma): which retry is meant is a guess
        int keys = Collections.list(request.getHeaders("Idempotency-Key")).size();
        if (keys > 1) {
            throw new InvalidInputException("The Idempotency-Key header is given " + keys + " times; give it once.",
                    List.of(new FieldProblem("Idempotency-Key", "is given " + keys + " times")));
        }
        JobService.Submitted submitted = service.submit(body, idempotencyKey);
        ResponseEntity.BodyBuilder response = ResponseEntity.status(HttpStatus.ACCEPTED)
                .location(URI.create("/jobs/" + submitted.job().id()));
        if (submitted.replayed()) {
            response.header("Idempotent-Replayed", "true");
        }
        return response.body(submitted.job());
    }

    @Operation(summary = "List jobs, newest first", description = "Paged with page (from 0) and size (1..100); "
            + "status filters by QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELLED.")
    @GetMapping(path = "/jobs", produces = MediaType.APPLICATION_JSON_VALUE)
    JobPage list(@RequestParam(defaultValue = "0") int page,
                 // Bounds and values for the document only: this method checks them itself, so that every bad
                 // parameter is listed in one 400 (constraint annotations would make Spring answer the first alone).
                 @Parameter(schema = @Schema(type = "integer", format = "int32", minimum = "1",
                         maximum = "" + JobService.MAX_PAGE_SIZE, defaultValue = "20"))
                 @RequestParam(defaultValue = "20") int size,
                 @Parameter(description = "Only jobs in this status (case-insensitive)", schema = @Schema(type = "string",
                         allowableValues = {"QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"}))
                 @RequestParam(required = false) String status) {
        List<FieldProblem> problems = new ArrayList<>();
        if (page < 0) {
            problems.add(new FieldProblem("page", "must be at least 0"));
        }
        if (size < 1 || size > JobService.MAX_PAGE_SIZE) {
            problems.add(new FieldProblem("size", "must be between 1 and " + JobService.MAX_PAGE_SIZE));
        }
        JobStatus filter = null;
        if (status != null) {
            try {
                filter = JobStatus.valueOf(status.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add(new FieldProblem("status", "must be one of QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED"));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException("Invalid query parameters; see 'errors'.", problems);
        }
        return service.list(filter, page, size);
    }

    @Operation(summary = "A job: status, progress, latest loss, accuracy, model and the effective request")
    @ApiResponse(responseCode = "200", description = "The job")
    @ApiResponse(responseCode = "404", description = "No such job", content = @Content(mediaType = "application/problem+json"))
    @GetMapping(path = "/jobs/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    JobView get(@PathVariable String id) {
        return service.get(id);
    }

    @Operation(summary = "Loss per iteration and accuracies per epoch",
            description = "loss[k] is the minibatch loss of iteration since + k. JSON, or CSV (iteration,loss) with "
                    + "Accept: text/csv.")
    @ApiResponse(responseCode = "200", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = LossView.class)),
            @Content(mediaType = CSV, schema = @Schema(type = "string", example = "iteration,loss\n0,2.30\n1,2.28\n"))})
    // Both forms say that they were chosen by Accept (Vary), so that a cache does not answer one with the other.
    @GetMapping(path = "/jobs/{id}/loss", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<LossView> loss(@PathVariable String id, @RequestParam(defaultValue = "0") long since) {
        return ResponseEntity.ok().varyBy(HttpHeaders.ACCEPT).body(service.loss(id, requireSince(since)));
    }

    @GetMapping(path = "/jobs/{id}/loss", produces = CSV)
    ResponseEntity<String> lossCsv(@PathVariable String id, @RequestParam(defaultValue = "0") long since) {
        LossView loss = service.loss(id, requireSince(since));
        StringBuilder csv = new StringBuilder(32 + loss.loss().length * 24).append("iteration,loss\n");
        for (int k = 0; k < loss.loss().length; k++) {
            csv.append(since + k).append(',').append(loss.loss()[k]).append('\n');
        }
        return ResponseEntity.ok().varyBy(HttpHeaders.ACCEPT).contentType(MediaType.parseMediaType(CSV)).body(csv.toString());
    }

    @Operation(summary = "Follow a job live (Server-Sent Events)",
            description = "Events: 'loss' {since, loss[]} (event id = next iteration), 'epoch' {epoch, trainAccuracy, "
                    + "valAccuracy, learningRate}, 'progress' (the job), and finally 'status' (the final job), then the "
                    + "stream ends. A late subscriber first receives everything it missed; since skips the loss points "
                    + "already seen and the epochs that ended by that iteration (each epoch follows the loss event that "
                    + "covers it). A reconnect's Last-Event-ID wins over since.")
    @ApiResponse(responseCode = "200", description = "A text/event-stream of named events, each data line one JSON document: 'loss' {since, loss[]} (event id = the next iteration), 'epoch' (EpochMetrics), 'progress' (a Job) and finally 'status' (the final Job), after which the stream ends ('deleted' {id} instead, if the job is deleted meanwhile)",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(type = "string",
                    example = "event: progress\ndata: {\"id\": \"...\", \"status\": \"RUNNING\", ...}\n\n")))
    @ApiResponse(responseCode = "404", description = "No such job", content = @Content(mediaType = "application/problem+json"))
    @GetMapping(path = "/jobs/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events(@PathVariable String id, @RequestParam(required = false) Long since,
                      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
        long from = since != null ? requireSince(since) : 0;
        if (lastEventId != null) {
            // A reconnect: an EventSource opens the same URL again, ?since= and all, and adds the last id it saw, so
            // the header wins over the parameter. Our ids are iterations (0 or more); anything else did not come from
            // this stream, and is ignored.
            try {
                from = Math.max(0, Long.parseLong(lastEventId.trim()));
            } catch (NumberFormatException e) {
                // not one of ours: as without the header
            }
        }
        return events.subscribe(id, from);
    }

    @Operation(summary = "Cancel a job", description = "A queued job ends CANCELLED at once (200); a running one stops "
            + "at its next minibatch (200 once CANCELLED, 202 while its worker is still stopping). No model is stored. "
            + "A job that has already ended answers 409.")
    @ApiResponse(responseCode = "200", description = "Cancelled: the job, CANCELLED")
    @ApiResponse(responseCode = "202", description = "Cancel requested: the job, still RUNNING until its worker stops")
    @ApiResponse(responseCode = "404", description = "No such job", content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "409", description = "The job has already ended",
            content = @Content(mediaType = "application/problem+json"))
    @PostMapping(path = "/jobs/{id}/cancel", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<JobView> cancel(@PathVariable String id) {
        JobView job = service.cancel(id);
        return ResponseEntity.status(JobStatus.valueOf(job.status()).isFinal() ? HttpStatus.OK : HttpStatus.ACCEPTED)
                .body(job);
    }

    @Operation(summary = "Delete a job that has ended, with its loss history",
            description = "Removes a SUCCEEDED, FAILED or CANCELLED job, its loss history, per-epoch accuracies and "
                    + "checkpoint: 204. The model it trained stays in the registry (its jobId then names a deleted "
                    + "job). A queued or running job answers 409: cancel it first. Its Idempotency-Key can be used "
                    + "again afterwards.")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", description = "No such job", content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "409", description = "The job is still queued or running",
            content = @Content(mediaType = "application/problem+json"))
    @DeleteMapping("/jobs/{id}")
    ResponseEntity<Void> delete(@Parameter(description = "the id of the job to delete") @PathVariable String id) {
        service.delete(id);
        return ResponseEntity.noContent().build();
    }

    private static long requireSince(long since) {
        if (since < 0) {
            throw new InvalidInputException("since must be at least 0.",
                    List.of(new FieldProblem("since", "must be at least 0")));
        }
        return since;
    }
}
