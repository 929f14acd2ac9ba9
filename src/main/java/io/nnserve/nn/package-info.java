/**
 * The numerical engine: a two-layer network (affine, ReLU, affine) with softmax and SVM losses, L2/L1
 * regularization, update rules and the Solver that runs minibatch SGD. Pure Java and ojAlgo: nothing here knows
 * about Spring, HTTP or storage (ArchitectureTest enforces it), so the math can be read and tested on its own.
 */
package io.nnserve.nn;
