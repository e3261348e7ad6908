package org.lincde.harness.data.formal;

/** {@code reverse_string} (SPEC §3.2): target {@code s ‖ reverse(s)}, scored from the ACT on. */
public final class ReverseString extends StringTransduction {
    public ReverseString() {
        super("reverse_string");
    }

    @Override
    public int[] target(int[] s) {
        int n = s.length;
        int[] t = new int[2 * n];
        for (int i = 0; i < n; i++) {
            t[i] = s[i];
            t[n + i] = s[n - 1 - i];
        }
        return t;
    }
}
