package org.lincde.harness.signature;

import java.util.Arrays;

/**
 * The truncated signature of a path in {@code R^d}, levels {@code 0..N}, in float64 (SPEC §3.3).
 *
 * <p><b>Representation.</b> Level 0 is the constant 1 and is not stored. Level {@code k}
 * ({@code 1 ≤ k ≤ N}) is a flat array of {@code d^k} coefficients in lexicographic word order:
 * the word {@code (i1, …, ik)} of 0-based letters sits at index
 * {@code ((i1·d + i2)·d + …)·d + ik} (first letter most significant, see {@link #index}). So
 * level 2 is the row-major {@code d×d} matrix {@code S^{ij} = ∫∫_{u<v} dX^i_u dX^j_v}.
 * The papers write letters 1-based: {@code S^{(1,2)}} is {@code get(0, 1)} here.
 *
 * <p><b>Piecewise-linear paths.</b> The signature of one segment with increment {@code δ} is
 * the truncated tensor exponential {@code exp(δ) = Σ_k δ^{⊗k}/k!}; the signature of a
 * concatenation is the truncated tensor product of the pieces (Chen's identity). {@link #of}
 * folds the segments left to right, updating level {@code k} from the old lower levels
 * ({@code S_k ← S_k + Σ_{j=1..k} S_{k−j} ⊗ δ^{⊗j}/j!}, highest level first): for depth 3 this is
 * exactly SPEC §3.3's update {@code S^{ijk} += S^{ij}δ^k + ½S^iδ^jδ^k + ⅙δ^iδ^jδ^k}.
 *
 * <p>Instances are immutable; accessors return copies.
 */
public final class Signature {
    /** Largest level size accepted ({@code d^N}), to fail early instead of exhausting memory. */
    public static final int MAX_LEVEL_SIZE = 1 << 26;

    private final int dim;
    private final int depth;
    private final double[][] levels; // levels[k - 1] has d^k entries

    private Signature(int dim, int depth, double[][] levels) {
        this.dim = dim;
        this.depth = depth;
        this.levels = levels;
    }

    /** The signature of a constant path: 1 at level 0, zero above. */
    public static Signature identity(int dim, int depth) {
        return new Signature(dim, depth, zeroLevels(dim, depth));
    }

    /**
     * The signature of one straight segment with {@code increment} δ: level {@code k} is
     * {@code δ^{⊗k}/k!}. {@code increment}: read.
     */
    public static Signature exp(double[] increment, int depth) {
        int d = increment.length;
        double[][] lv = zeroLevels(d, depth);
        for (int i = 0; i < d; i++) {
            requireFinite(increment[i], "increment[" + i + "]");
        }
        tensorPowers(increment, lv);
        return new Signature(d, depth, lv);
    }

    /**
     * The signature of the piecewise-linear path through {@code points} (rows are observations,
     * each of the same dimension {@code d}). One point gives the identity. {@code points}: read.
     */
    public static Signature of(double[][] points, int depth) {
        double[] flat = flatten(points);
        return of(flat, 0, points.length, points[0].length, depth);
    }

    /** The points of a path, row after row in one array; every point must have point 0's dimension. */
    static double[] flatten(double[][] points) {
        if (points.length == 0) {
            throw new IllegalArgumentException("a path needs at least one point, got none");
        }
        int d = points[0].length;
        double[] flat = new double[points.length * d];
        for (int p = 0; p < points.length; p++) {
            if (points[p].length != d) {
                throw new IllegalArgumentException("point " + p + " has " + points[p].length
                        + " coordinates but point 0 has " + d);
            }
            System.arraycopy(points[p], 0, flat, p * d, d);
        }
        return flat;
    }

    /**
     * The signature of the piecewise-linear path through {@code length} points of dimension
     * {@code dim} stored row-major in {@code values} from {@code offset} (point {@code p},
     * channel {@code c} at {@code offset + p·dim + c}). {@code values}: read.
     */
    public static Signature of(double[] values, int offset, int length, int dim, int depth) {
        if (length < 1) {
            throw new IllegalArgumentException("a path needs at least one point, got length " + length);
        }
        checkDimDepth(dim, depth);
        if (offset < 0 || (long) offset + (long) length * dim > values.length) {
            throw new IllegalArgumentException("path of " + length + "×" + dim + " values at offset " + offset
                    + " does not fit an array of " + values.length);
        }
        double[][] s = zeroLevels(dim, depth);
        double[][] e = zeroLevels(dim, depth); // workspace: δ^{⊗j}/j!
        double[] delta = new double[dim];
        for (int p = 0; p < length; p++) {
            for (int c = 0; c < dim; c++) {
                requireFinite(values[offset + p * dim + c], "point " + p + ", channel " + c);
            }
        }
        for (int p = 1; p < length; p++) {
            int cur = offset + p * dim;
            int prev = cur - dim;
            for (int c = 0; c < dim; c++) {
                delta[c] = values[cur + c] - values[prev + c];
            }
            tensorPowers(delta, e);
            multiplyInPlace(s, e, dim, depth);
        }
        return new Signature(dim, depth, s);
    }

    /**
     * Chen's product: the signature of this path followed by {@code other}, i.e. the truncated
     * tensor product {@code (S ⊗ T)_k = Σ_{j=0..k} S_{k−j} ⊗ T_j}. Both must share dim and depth.
     */
    public Signature times(Signature other) {
        if (other.dim != dim || other.depth != depth) {
            throw new IllegalArgumentException("cannot multiply a signature of dim " + dim + ", depth " + depth
                    + " with one of dim " + other.dim + ", depth " + other.depth);
        }
        double[][] out = copyLevels(levels);
        multiplyInPlace(out, other.levels, dim, depth);
        return new Signature(dim, depth, out);
    }

    /** The path dimension d. */
    public int dim() {
        return dim;
    }

    /** The truncation depth N. */
    public int depth() {
        return depth;
    }

    /** A copy of level {@code k} ({@code 0 ≤ k ≤ N}; level 0 is {@code [1]}), in word order. */
    public double[] level(int k) {
        if (k < 0 || k > depth) {
            throw new IllegalArgumentException("level " + k + " outside [0, " + depth + "]");
        }
        return k == 0 ? new double[] {1.0} : levels[k - 1].clone();
    }

    /** The coefficient of a word of 0-based letters; the empty word gives 1. */
    public double get(int... word) {
        if (word.length > depth) {
            throw new IllegalArgumentException("word " + Arrays.toString(word) + " is longer than depth " + depth);
        }
        return word.length == 0 ? 1.0 : levels[word.length - 1][index(dim, word)];
    }

    /** Number of coefficients at level {@code k}: {@code d^k}. */
    public static int levelSize(int dim, int k) {
        long n = 1;
        for (int i = 0; i < k; i++) {
            n *= dim;
            if (n > MAX_LEVEL_SIZE) {
                throw new IllegalArgumentException("level " + k + " of a " + dim + "-dimensional signature has more than "
                        + MAX_LEVEL_SIZE + " coefficients");
            }
        }
        return (int) n;
    }

    /** Flat index of a word of 0-based letters within its level (first letter most significant). */
    public static int index(int dim, int... word) {
        int idx = 0;
        for (int letter : word) {
            if (letter < 0 || letter >= dim) {
                throw new IllegalArgumentException("letter " + letter + " of word " + Arrays.toString(word)
                        + " outside [0, " + dim + ")");
            }
            idx = idx * dim + letter;
        }
        return idx;
    }

    @Override
    public String toString() {
        return "Signature[dim=" + dim + ", depth=" + depth + "]";
    }

    // ---- kernels -----------------------------------------------------------------------------

    /** out[j-1] = δ^{⊗j}/j! for j = 1..N. delta: read; out: written. */
    private static void tensorPowers(double[] delta, double[][] out) {
        int d = delta.length;
        System.arraycopy(delta, 0, out[0], 0, d);
        for (int j = 2; j <= out.length; j++) {
            double[] prev = out[j - 2];
            double[] cur = out[j - 1];
            double inv = 1.0 / j;
            for (int u = 0; u < prev.length; u++) {
                double pu = prev[u] * inv;
                int base = u * d;
                for (int i = 0; i < d; i++) {
                    cur[base + i] = pu * delta[i];
                }
            }
        }
    }

    /**
     * s ← s ⊗ t in the truncated tensor algebra (both with level 0 equal to 1). Levels are
     * updated highest first so every right-hand side still reads the old lower levels.
     * s: read and written; t: read.
     */
    private static void multiplyInPlace(double[][] s, double[][] t, int d, int depth) {
        for (int k = depth; k >= 1; k--) {
            double[] sk = s[k - 1];
            double[] tk = t[k - 1];
            for (int i = 0; i < sk.length; i++) {
                sk[i] += tk[i]; // the S_0 ⊗ T_k term
            }
            for (int j = 1; j < k; j++) { // S_{k−j} ⊗ T_j
                double[] left = s[k - j - 1];
                double[] right = t[j - 1];
                int width = right.length;
                for (int u = 0; u < left.length; u++) {
                    double lu = left[u];
                    if (lu == 0.0) {
                        continue;
                    }
                    int base = u * width;
                    for (int v = 0; v < width; v++) {
                        sk[base + v] += lu * right[v];
                    }
                }
            }
        }
    }

    private static double[][] zeroLevels(int dim, int depth) {
        checkDimDepth(dim, depth);
        double[][] lv = new double[depth][];
        for (int k = 1; k <= depth; k++) {
            lv[k - 1] = new double[levelSize(dim, k)];
        }
        return lv;
    }

    private static double[][] copyLevels(double[][] src) {
        double[][] out = new double[src.length][];
        for (int k = 0; k < src.length; k++) {
            out[k] = src[k].clone();
        }
        return out;
    }

    private static void checkDimDepth(int dim, int depth) {
        if (dim < 1) {
            throw new IllegalArgumentException("signature dimension must be ≥ 1, got " + dim);
        }
        if (depth < 1) {
            throw new IllegalArgumentException("signature depth must be ≥ 1, got " + depth);
        }
        levelSize(dim, depth);
    }

    private static void requireFinite(double v, String where) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("path value " + v + " at " + where + " is not finite");
        }
    }
}
