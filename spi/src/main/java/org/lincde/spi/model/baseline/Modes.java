package org.lincde.spi.model.baseline;

import org.lincde.spi.ForwardMode;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.Dropout;

/** Dropout-stream plumbing: each dropout site draws from its own named sub-stream of {@code mode.dropout()}. */
final class Modes {
    private Modes() {}

    /** {@code mode} whose dropout stream is the sub-stream {@code path} (unchanged when not training). */
    static ForwardMode scoped(ForwardMode mode, Object... path) {
        return mode.training() ? mode.withDropout(mode.dropout().stream(path)) : mode;
    }

    /** Inverted dropout with rate {@code p} in training, the identity otherwise. */
    static <T> T dropout(TensorOps<T> ops, T x, double p, ForwardMode mode, Object... path) {
        return mode.training() && p > 0 ? Dropout.apply(ops, x, p, mode.dropout().stream(path)) : x;
    }
}
