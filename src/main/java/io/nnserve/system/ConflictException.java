package io.nnserve.system;

import java.util.Objects;
import java.util.stream.Stream;

/** The request is well formed but clashes with the current state (a dataset in use, a finished job): 409. */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }

    /**
     * Refuses to delete what is still used: "{@code subject} cannot be deleted: " and the first of the sentences
     * that is not null (each names a user of it); nothing when all are null.
     */
    public static void refuseDeletionIfUsed(String subject, Stream<String> usedBy) {
        usedBy.filter(Objects::nonNull).findFirst().ifPresent(sentence -> {
            throw new ConflictException(subject + " cannot be deleted: " + sentence);
        });
    }
}
