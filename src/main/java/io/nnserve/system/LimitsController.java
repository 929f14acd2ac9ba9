package io.nnserve.system;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Publishes the configured limits, so a client can size its requests before it sends them. */
@RestController
@Tag(name = "limits", description = "The size limits this instance enforces")
class LimitsController {

    private final LimitsProperties limits;

    LimitsController(LimitsProperties limits) {
        this.limits = limits;
    }

    @GetMapping(path = "/limits", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The configured limits (nnserve.limits.*)",
            description = "Body sizes in bytes, dataset and network sizes, rows per predict request, active jobs"
                    + " and the JSON parser's constraints. Requests over a limit answer 400 or 413 naming the"
                    + " limit and its property.")
    LimitsProperties limits() {
        return limits;
    }
}
