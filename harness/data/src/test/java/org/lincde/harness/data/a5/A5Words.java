package org.lincde.harness.data.a5;

/** Test helper: the word problem's targets computed by composing one-line permutations directly. */
final class A5Words {
    private A5Words() {
    }

    /** Prefix products {@code x_1 * … * x_k} with (p*q)(i) = p(q(i)), without the Cayley table. */
    static int[] prefixProducts(int[] word) {
        A5Group group = A5Group.instance();
        int[] acc = {1, 2, 3, 4, 5};
        int[] out = new int[word.length];
        for (int k = 0; k < word.length; k++) {
            int[] x = group.permutation(word[k]);
            int[] next = new int[5];
            for (int i = 0; i < 5; i++) {
                next[i] = acc[x[i] - 1];
            }
            acc = next;
            out[k] = group.idOf(acc);
        }
        return out;
    }
}
