package org.lincde.backend.nd4j.internal;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reverse-mode record of one forward pass: each differentiable op appends the closure that pushes its
 * output's gradient to its inputs; {@link #backward} runs them newest first. Closures see only arrays
 * of the current call's workspace, so the tape must not outlive the {@link Nd4jScope} it was made in.
 */
final class Nd4jTape {
    private final List<Runnable> steps = new ArrayList<>();

    void record(Runnable backward) {
        steps.add(backward);
    }

    /** Seeds {@code d root / d root = 1} (root must be a scalar) and runs every recorded step in reverse. */
    void backward(Nd4jTensor root) {
        if (root.value.length() != 1) {
            throw new IllegalArgumentException("backward needs a scalar root, got shape "
                    + java.util.Arrays.toString(root.shape));
        }
        if (!root.requiresGrad) {
            return;
        }
        root.grad = Nd4j.valueArrayOf(root.value.shape(), 1.0, root.value.dataType());
        root.gradOwned = true;
        for (int i = steps.size() - 1; i >= 0; i--) {
            steps.get(i).run();
        }
        steps.clear();
    }
}
