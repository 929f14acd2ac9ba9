package io.nnserve.nn;

import java.util.ArrayList;
import java.util.List;

/** A listener that keeps every checkpoint the Solver hands out. */
final class Checkpoints implements TrainingListener {

    final List<SolverState> states = new ArrayList<>();

    @Override
    public void onCheckpoint(SolverState state) {
        states.add(state);
    }

    SolverState get(int index) {
        return states.get(index);
    }

    byte[] bytes(int index) {
        return states.get(index).toBytes();
    }
}
