package org.lincde.backend.reference;

import java.util.ArrayList;
import java.util.List;

/**
 * Reverse-mode automatic differentiation by a tape: every differentiable node is appended in creation
 * order; {@link #backward} seeds the root with 1 and runs the recorded closures in reverse order, each
 * accumulating into its inputs' gradients. Single-use: one forward, one backward.
 */
final class Tape {
    private final List<RefTensor> nodes = new ArrayList<>();

    void record(RefTensor node, Runnable backward) {
        node.backward = backward;
        nodes.add(node);
    }

    /** Back-propagates from a scalar {@code root}. */
    void backward(RefTensor root) {
        if (root.size() != 1) {
            throw new IllegalArgumentException("backward needs a scalar root, got shape "
                    + java.util.Arrays.toString(root.shape));
        }
        if (!root.requiresGrad) {
            return;
        }
        root.gradBuffer()[0] += 1.0;
        for (int i = nodes.size() - 1; i >= 0; i--) {
            RefTensor n = nodes.get(i);
            if (n.grad != null && n.backward != null) {
                n.backward.run();
            }
        }
    }
}
