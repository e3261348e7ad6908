package org.lincde.harness.reproduce;

/**
 * How an artifact's reproduced cells compare with the published ones: within the published
 * mean ± 2 std, a qualitative claim that holds, or a difference; plus cells still pending (not run
 * here, e.g. other shards or data not available).
 *
 * @param within     cells within the published mean ± 2 std
 * @param claimHolds cells where the published qualitative claim holds
 * @param differs    cells outside the band or whose claim fails
 * @param pending    cells without a result yet
 */
public record Verdicts(int within, int claimHolds, int differs, int pending) {
    /** No cells. */
    public static final Verdicts NONE = new Verdicts(0, 0, 0, 0);

    /** Sum of two tallies. */
    public Verdicts plus(Verdicts o) {
        return new Verdicts(within + o.within, claimHolds + o.claimHolds, differs + o.differs, pending + o.pending);
    }

    /** Cells with a verdict. */
    public int judged() {
        return within + claimHolds + differs;
    }

    /** "12 within ± 2 std, 3 claims hold, 5 differ, 2 pending". */
    public String text() {
        return within + " within published ± 2 std, " + claimHolds + " qualitative claims hold, " + differs
                + " differ, " + pending + " pending";
    }
}
