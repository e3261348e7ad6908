package org.lincde.harness.conformance;

import java.util.Comparator;
import java.util.List;
import org.lincde.spi.DType;

/**
 * One row of the conformance report: a check of one model case (or structure) on one backend and dtype,
 * its outcome, every tensor comparison it made, and the worst of them.
 *
 * @param backend     backend id
 * @param structure   structure spec as text ({@code block-diagonal(block_size=4)}), or {@code -}
 * @param model       model case name ({@code lcde}), or {@code -} for op-level checks
 * @param check       what was checked
 * @param dtype       the backend's precision in this case
 * @param outcome     PASS, FAIL, SKIP or UNSUPPORTED
 * @param comparisons every tensor compared, in order (empty when nothing was compared)
 * @param detail      the reason for SKIP/UNSUPPORTED, the error of a FAIL that threw, or notes
 * @param seconds     wall time of the case
 */
public record CaseResult(String backend, String structure, String model, Check check, DType dtype, Outcome outcome,
                         List<Comparison> comparisons, String detail, double seconds) {

    /** Defensive copy. */
    public CaseResult {
        comparisons = List.copyOf(comparisons);
        detail = detail == null ? "" : detail;
    }

    /** The comparison that used most of its tolerance (a failed one first), or null. */
    public Comparison worst() {
        return comparisons.stream().max(Comparator.comparing((Comparison c) -> !c.passed())
                .thenComparingDouble(Comparison::severity)).orElse(null);
    }

    /** The key known-gap patterns match: {@code structure/model/check/dtype}. */
    public String key() {
        return key(structure, model, check, dtype);
    }

    static String key(String structure, String model, Check check, DType dtype) {
        return structure + "/" + model + "/" + check.id() + "/" + dtype.label();
    }

    /** This result with another outcome and detail. */
    CaseResult with(Outcome o, String newDetail) {
        return new CaseResult(backend, structure, model, check, dtype, o, comparisons, newDetail, seconds);
    }
}
