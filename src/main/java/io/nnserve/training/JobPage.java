package io.nnserve.training;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/** {@code GET /jobs}: one page of jobs, newest first. */
@Schema(name = "JobPage")
public record JobPage(List<JobView> jobs, int page, int size, long total) {
}
