package org.lincde.harness.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.lincde.spi.DType;

/**
 * Runs one case body and turns what happens into a {@link CaseResult}: comparisons decide PASS/FAIL,
 * {@link Skip} is a SKIP with its reason, an {@link UnsupportedOperationException} is a FAIL (the
 * backend did not declare it, docs/STYLE.md D4), any other exception a FAIL naming it. Known gaps are
 * applied last.
 */
final class CaseRunner {
    /** A case body: the comparisons it made. */
    @FunctionalInterface
    interface Body {
        List<Comparison> run();
    }

    /** Thrown by a body that does not apply; the case is a SKIP with this reason. */
    static final class Skip extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Skip(String reason) {
            super(reason);
        }
    }

    private final List<CaseResult> results = new ArrayList<>();
    private final Consumer<CaseResult> listener;

    CaseRunner(Consumer<CaseResult> listener) {
        this.listener = listener;
    }

    List<CaseResult> results() {
        return results;
    }

    /** Records a case that was not run. */
    void record(String backend, Subject s, String model, Check check, DType dtype, Outcome outcome, String reason) {
        add(new CaseResult(backend, s.label(), model, check, dtype, outcome, List.of(), reason, 0));
    }

    /** Runs {@code body} and records its result. */
    void run(String backend, Subject s, String model, Check check, DType dtype, KnownGaps gaps, Body body) {
        long t0 = System.nanoTime();
        List<Comparison> comparisons = List.of();
        Outcome outcome;
        String detail = "";
        try {
            comparisons = body.run();
            long failed = comparisons.stream().filter(c -> !c.passed()).count();
            outcome = failed == 0 ? Outcome.PASS : Outcome.FAIL;
            if (failed > 0) {
                detail = failed + " of " + comparisons.size() + " tensors out of tolerance";
            }
        } catch (Skip e) {
            outcome = Outcome.SKIP;
            detail = e.getMessage();
        } catch (UnsupportedOperationException e) {
            outcome = Outcome.FAIL;
            detail = "undeclared UnsupportedOperationException (capabilities() did not declare it): " + describe(e);
        } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
            outcome = Outcome.FAIL;
            detail = describe(e);
        }
        CaseResult r = new CaseResult(backend, s.label(), model, check, dtype, outcome, comparisons, detail,
                (System.nanoTime() - t0) / 1e9);
        Optional<KnownGaps.Gap> gap = gaps.match(r.key());
        if (gap.isPresent()) {
            KnownGaps.Gap g = gap.get();
            r = r.outcome() == Outcome.FAIL
                    ? r.with(Outcome.SKIP, "known gap (" + g.source() + "): " + g.reason() + "; " + r.detail())
                    : r.outcome() == Outcome.PASS
                    ? r.with(Outcome.PASS, "listed as a known gap (" + g.source() + ") but passes: remove the line")
                    : r;
        }
        add(r);
    }

    private void add(CaseResult r) {
        results.add(r);
        if (listener != null) {
            listener.accept(r);
        }
    }

    /** {@code Type: message (at first frame)}. */
    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(e.getClass().getSimpleName()).append(": ").append(e.getMessage());
        Throwable cause = e.getCause();
        if (cause != null && cause != e) {
            sb.append(" (caused by ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage())
                    .append(')');
        }
        StackTraceElement[] st = e.getStackTrace();
        if (st.length > 0) {
            sb.append(" at ").append(st[0]);
        }
        return sb.toString();
    }
}
