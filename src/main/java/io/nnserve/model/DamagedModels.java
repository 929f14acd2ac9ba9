package io.nnserve.model;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/** The models this instance found damaged, with the reason, for readiness details. */
@Component
class DamagedModels {

    private final Map<String, String> reasons = new ConcurrentHashMap<>();

    void record(String modelId, String reason) {
        reasons.put(modelId, reason);
    }

    void forget(String modelId) {
        reasons.remove(modelId);
    }

    /** A sorted snapshot: model id to reason. */
    Map<String, String> snapshot() {
        return new TreeMap<>(reasons);
    }
}
