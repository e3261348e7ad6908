package org.lincde.harness.data.a5;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The alternating group A5 as used by the word-problem benchmark (SPEC §3.1): its 60 elements
 * are the even permutations of {@code (1,2,3,4,5)}, numbered 0..59 in lexicographic order of
 * their one-line notation, so id 0 is the identity.
 *
 * <p><b>Product convention.</b> {@code (p*q)(i) = p(q(i))}: apply {@code q} first. The word
 * problem's prefix scan is {@code acc_0 = identity}, {@code acc_k = acc_{k-1} * x_k} and
 * {@code target_k = id(acc_k)}, so {@code target_1 = x_1} and {@code target_k} is the id of
 * {@code x_1 * x_2 * … * x_k}. (The original generator's labels cannot be matched without its
 * files; the other convention gives an isomorphic task, SPEC §3.1.)
 *
 * <p>Products are looked up in a precomputed 60×60 Cayley table. Instances are immutable; use
 * {@link #instance()}.
 */
public final class A5Group {
    /** Number of elements. */
    public static final int ORDER = 60;
    /** Id of the identity permutation. */
    public static final int IDENTITY = 0;

    private static final A5Group INSTANCE = new A5Group();

    /** One-line notation, 0-based images: {@code perms[id][i]} is the image of {@code i}. */
    private final int[][] perms;
    private final byte[] table = new byte[ORDER * ORDER];
    private final int[] inverse = new int[ORDER];

    private A5Group() {
        perms = evenPermutationsInLexicographicOrder();
        if (perms.length != ORDER) {
            throw new IllegalStateException("expected 60 even permutations, found " + perms.length);
        }
        int[] composed = new int[5];
        for (int a = 0; a < ORDER; a++) {
            for (int b = 0; b < ORDER; b++) {
                for (int i = 0; i < 5; i++) {
                    composed[i] = perms[a][perms[b][i]]; // (a*b)(i) = a(b(i))
                }
                int c = indexOf(composed);
                table[a * ORDER + b] = (byte) c;
                if (c == IDENTITY) {
                    inverse[a] = b;
                }
            }
        }
    }

    /** The group. */
    public static A5Group instance() {
        return INSTANCE;
    }

    /** The id of {@code a * b} (apply {@code b} first). */
    public int multiply(int a, int b) {
        return table[check(a) * ORDER + check(b)];
    }

    /** The id of the inverse of {@code a}. */
    public int inverse(int a) {
        return inverse[check(a)];
    }

    /** The order of element {@code a}: the least {@code k >= 1} with {@code a^k = identity}. */
    public int elementOrder(int a) {
        check(a);
        int k = 1;
        int power = a;
        while (power != IDENTITY) {
            power = table[power * ORDER + a];
            k++;
        }
        return k;
    }

    /** The one-line notation of element {@code id}, 1-based ({@code [1,2,3,4,5]} for id 0). */
    public int[] permutation(int id) {
        int[] p = perms[check(id)];
        int[] out = new int[5];
        for (int i = 0; i < 5; i++) {
            out[i] = p[i] + 1;
        }
        return out;
    }

    /**
     * The id of the permutation with 1-based one-line notation {@code oneLine}.
     *
     * @throws IllegalArgumentException if it is not an even permutation of {@code 1..5}
     */
    public int idOf(int[] oneLine) {
        if (oneLine.length != 5) {
            throw new IllegalArgumentException("a permutation of 1..5 has 5 entries, got " + Arrays.toString(oneLine));
        }
        int[] zeroBased = new int[5];
        for (int i = 0; i < 5; i++) {
            zeroBased[i] = oneLine[i] - 1;
        }
        int id = indexOf(zeroBased);
        if (id < 0) {
            throw new IllegalArgumentException(Arrays.toString(oneLine) + " is not an even permutation of 1..5");
        }
        return id;
    }

    /** A copy of the Cayley table: {@code table[a][b]} is the id of {@code a * b}. */
    public int[][] cayleyTable() {
        int[][] out = new int[ORDER][ORDER];
        for (int a = 0; a < ORDER; a++) {
            for (int b = 0; b < ORDER; b++) {
                out[a][b] = table[a * ORDER + b];
            }
        }
        return out;
    }

    /** Checks {@code (a*b)*c = a*(b*c)} for all 216 000 triples of the table. */
    public boolean isAssociative() {
        for (int a = 0; a < ORDER; a++) {
            for (int b = 0; b < ORDER; b++) {
                int ab = table[a * ORDER + b];
                for (int c = 0; c < ORDER; c++) {
                    if (table[ab * ORDER + c] != table[a * ORDER + table[b * ORDER + c]]) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** Checks that id 0 is a two-sided identity of the table. */
    public boolean hasIdentityAtZero() {
        for (int a = 0; a < ORDER; a++) {
            if (table[IDENTITY * ORDER + a] != a || table[a * ORDER + IDENTITY] != a) {
                return false;
            }
        }
        return true;
    }

    /**
     * How many elements have each order: entry {@code k} counts the elements of order {@code k}
     * (A5: 1 of order 1, 15 of order 2, 20 of order 3, 24 of order 5).
     */
    public int[] orderCounts() {
        int[] counts = new int[ORDER + 1];
        for (int a = 0; a < ORDER; a++) {
            counts[elementOrder(a)]++;
        }
        return counts;
    }

    /**
     * The word problem's targets: {@code out[k] = id(x_1 * … * x_{k+1})} for the ids in
     * {@code word} (SPEC §3.1).
     */
    public int[] prefixProducts(int[] word) {
        int[] out = new int[word.length];
        int acc = IDENTITY;
        for (int k = 0; k < word.length; k++) {
            acc = table[acc * ORDER + check(word[k])];
            out[k] = acc;
        }
        return out;
    }

    /**
     * Prefix products of {@code length} ids stored as bytes from {@code in[inOffset]}, written to
     * {@code out[outOffset..]} (no allocation; ids are not checked).
     */
    void prefixProducts(byte[] in, int inOffset, int length, byte[] out, int outOffset) {
        int acc = IDENTITY;
        for (int k = 0; k < length; k++) {
            acc = table[acc * ORDER + in[inOffset + k]];
            out[outOffset + k] = (byte) acc;
        }
    }

    private static int check(int id) {
        if (id < 0 || id >= ORDER) {
            throw new IllegalArgumentException("A5 element id must be in 0..59, got " + id);
        }
        return id;
    }

    private int indexOf(int[] zeroBased) {
        // 60 entries: a linear scan keeps the table construction obviously right.
        for (int id = 0; id < perms.length; id++) {
            if (Arrays.equals(perms[id], zeroBased)) {
                return id;
            }
        }
        return -1;
    }

    private static int[][] evenPermutationsInLexicographicOrder() {
        List<int[]> even = new ArrayList<>();
        int[] p = {0, 1, 2, 3, 4};
        do {
            if (inversions(p) % 2 == 0) {
                even.add(p.clone());
            }
        } while (nextPermutation(p));
        return even.toArray(new int[0][]);
    }

    private static int inversions(int[] p) {
        int n = 0;
        for (int i = 0; i < p.length; i++) {
            for (int j = i + 1; j < p.length; j++) {
                if (p[i] > p[j]) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Advances {@code p} to the next permutation in lexicographic order; false after the last. */
    private static boolean nextPermutation(int[] p) {
        int i = p.length - 2;
        while (i >= 0 && p[i] >= p[i + 1]) {
            i--;
        }
        if (i < 0) {
            return false;
        }
        int j = p.length - 1;
        while (p[j] <= p[i]) {
            j--;
        }
        int t = p[i];
        p[i] = p[j];
        p[j] = t;
        for (int a = i + 1, b = p.length - 1; a < b; a++, b--) {
            t = p[a];
            p[a] = p[b];
            p[b] = t;
        }
        return true;
    }
}
