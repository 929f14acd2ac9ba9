package io.nnserve.training;

import java.util.List;

import org.springframework.stereotype.Component;

import io.nnserve.dataset.DatasetUsage;

/** Tells the dataset feature that a dataset cannot be deleted while a queued or running job needs it. */
@Component
class JobDatasetUsage implements DatasetUsage {

    private final JobRepository jobs;

    JobDatasetUsage(JobRepository jobs) {
        this.jobs = jobs;
    }

    @Override
    public String usedBy(String datasetId) {
        List<String> ids = jobs.activeJobsUsing(datasetId);
        if (ids.isEmpty()) {
            return null;
        }
        return ids.size() == 1 ? "job " + ids.get(0) + " (queued or running) uses it"
                : ids.size() + " queued or running jobs use it, e.g. " + ids.get(0);
    }
}
