package io.nnserve.training;

import java.util.List;
import java.util.function.Function;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.nnserve.dataset.DatasetUsage;
import io.nnserve.model.ModelUsage;

/**
 * Tells the dataset and model features which queued or running jobs still need a dataset (as training or
 * validation data) or a model (as the one training starts from), so that they refuse to delete it without knowing
 * about jobs.
 */
@Configuration(proxyBeanMethods = false)
class JobUsages {

    /** Enough ids to cancel a few jobs by hand, few enough for one line whatever the queue holds. */
    private static final int NAMED = 5;

    @Bean
    DatasetUsage jobDatasetUsage(JobRepository jobs) {
        return datasetId -> namingJobs(jobs.activeJobsUsing(datasetId), ids -> ids.size() == 1
                ? "job " + ids.get(0) + " (queued or running) uses it"
                : ids.size() + " queued or running jobs use it, e.g. " + ids.get(0));
    }

    @Bean
    ModelUsage jobModelUsage(JobRepository jobs) {
        return modelId -> namingJobs(jobs.activeJobsStartingFrom(modelId), ids -> {
            if (ids.size() == 1) {
                return "job " + ids.get(0) + " (queued or running) starts from it; wait until the job ends or cancel "
                        + "it with POST /jobs/" + ids.get(0) + "/cancel.";
            }
            String named = String.join(", ", ids.subList(0, Math.min(NAMED, ids.size())))
                    + (ids.size() > NAMED ? ", ..." : "");
            return ids.size() + " queued or running jobs start from it (" + named + "); wait until they end or "
                    + "cancel them with POST /jobs/{id}/cancel.";
        });
    }

    /** The sentence about the jobs that need it, or null (nothing stops the delete) when there are none. */
    private static String namingJobs(List<String> ids, Function<List<String>, String> sentence) {
        return ids.isEmpty() ? null : sentence.apply(ids);
    }
}
