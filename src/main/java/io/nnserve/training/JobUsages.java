package io.nnserve.training;

import java.util.List;

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
        return datasetId -> namingJobs(jobs.activeJobsUsing(datasetId), "uses it", "use it");
    }

    @Bean
    ModelUsage jobModelUsage(JobRepository jobs) {
        return modelId -> namingJobs(jobs.activeJobsStartingFrom(modelId), "starts from it", "start from it");
    }

    /**
     * The sentence about the jobs that need it and what to do, or null (nothing stops the delete) when there are
     * none; {@code one} and {@code many} are its verb for one job and for several.
     */
    private static String namingJobs(List<String> ids, String one, String many) {
        if (ids.isEmpty()) {
            return null;
        }
        if (ids.size() == 1) {
            return "job " + ids.get(0) + " (queued or running) " + one + "; wait until the job ends or cancel it with"
                    + " POST /jobs/" + ids.get(0) + "/cancel.";
        }
        String named = String.join(", ", ids.subList(0, Math.min(NAMED, ids.size())))
                + (ids.size() > NAMED ? ", ..." : "");
        return ids.size() + " queued or running jobs " + many + " (" + named + "); wait until they end or cancel them"
                + " with POST /jobs/{id}/cancel.";
    }
}
