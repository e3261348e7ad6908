package org.lincde.harness.conformance;

import java.util.function.Supplier;

/**
 * A value computed once on first use; a failure is remembered and rethrown to every later caller, so
 * several cases that share a computation (one model's gradients) each report the same error.
 */
final class Memo<T> implements Supplier<T> {
    private final Supplier<T> body;
    private T value;
    private RuntimeException failure;
    private Error error;
    private boolean done;

    Memo(Supplier<T> body) {
        this.body = body;
    }

    /** Runs {@code action} on the value if it was computed successfully; computes nothing. */
    void ifComputed(java.util.function.Consumer<T> action) {
        if (done && failure == null && error == null) {
            action.accept(value);
        }
    }

    @Override
    public T get() {
        if (!done) {
            done = true;
            try {
                value = body.get();
            } catch (RuntimeException e) {
                failure = e;
            } catch (LinkageError | AssertionError | StackOverflowError e) {
                error = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
        if (error != null) {
            throw error;
        }
        return value;
    }
}
