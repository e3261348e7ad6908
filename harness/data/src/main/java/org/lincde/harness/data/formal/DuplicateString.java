package org.lincde.harness.data.formal;

/** {@code duplicate_string} (SPEC §3.2): target {@code s ‖ s}, scored from the ACT on. */
public final class DuplicateString extends StringTransduction {
    public DuplicateString() {
        super("duplicate_string");
    }

    @Override
    public int[] target(int[] s) {
        int n = s.length;
        int[] t = new int[2 * n];
        System.arraycopy(s, 0, t, 0, n);
        System.arraycopy(s, 0, t, n, n);
        return t;
    }
}
