package org.lincde.harness.data.formal;

/**
 * {@code odds_first} (SPEC §3.2): target {@code 0×|s| ‖ s[0::2] ‖ s[1::2]} (the symbols at odd
 * 1-based positions first), scored from the ACT on.
 */
public final class OddsFirst extends StringTransduction {
    public OddsFirst() {
        super("odds_first");
    }

    @Override
    public int[] target(int[] s) {
        int n = s.length;
        int[] t = new int[2 * n];
        int k = n;
        for (int i = 0; i < n; i += 2) {
            t[k++] = s[i];
        }
        for (int i = 1; i < n; i += 2) {
            t[k++] = s[i];
        }
        return t;
    }
}
