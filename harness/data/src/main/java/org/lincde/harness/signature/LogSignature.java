package org.lincde.harness.signature;

/**
 * Depth-1 and depth-2 log-signatures of piecewise-linear paths in the Hall basis, float64
 * (SPEC §3.5 item 4).
 *
 * <p><b>Coordinates.</b> For a path with segment increments {@code δ_1, …, δ_m} in {@code R^d}:
 * <ul>
 *   <li>depth 1: {@code [Δ^1, …, Δ^d]}, the total increment {@code Δ = Σ_k δ_k};</li>
 *   <li>depth 2: {@code [Δ^1, …, Δ^d, A^{12}, A^{13}, …, A^{1d}, A^{23}, …, A^{(d−1)d}]} with the
 *       Lévy areas {@code A^{ij} = ½ Σ_{k<l}(δ_k^i δ_l^j − δ_k^j δ_l^i)} for {@code i < j}, the
 *       coefficients of the Hall brackets {@code [e_i, e_j]}.</li>
 * </ul>
 * Letters are 1-based in the formulas above and 0-based in {@link #areaIndex}. The SPEC's data
 * layout adds a leading 0 column; this class does not (the interval builder in
 * {@code org.lincde.harness.data.uea} adds it where the layout asks for it).
 *
 * <p>Relation to the signature: {@code log S = S − ½ S⊗S + …}, so at level 2
 * {@code (log S)^{ij} = S^{ij} − ½Δ^iΔ^j = ½(S^{ij} − S^{ji}) = A^{ij}} and
 * {@code S^{ij} = ½Δ^iΔ^j + A^{ij}}. Depth ≥ 3 is not supported (the UEA configs use 1 and 2).
 */
public final class LogSignature {
    private LogSignature() {
    }

    /** Number of coordinates: {@code d} at depth 1, {@code d + d(d−1)/2} at depth 2. */
    public static int dimension(int dim, int depth) {
        checkDepth(depth);
        if (dim < 1) {
            throw new IllegalArgumentException("log-signature dimension must be ≥ 1, got " + dim);
        }
        return depth == 1 ? dim : dim + dim * (dim - 1) / 2;
    }

    /**
     * Position of the Lévy area {@code A^{ij}} (0-based letters, {@code i < j}) in the depth-2
     * coordinates: after the {@code d} increments, pairs in lexicographic order.
     */
    public static int areaIndex(int dim, int i, int j) {
        if (i < 0 || j >= dim || i >= j) {
            throw new IllegalArgumentException("Lévy area index needs 0 ≤ i < j < " + dim + ", got (" + i + ", " + j + ")");
        }
        // pairs (p, q) with p < i come first: Σ_{p<i} (d − 1 − p)
        return dim + i * (2 * dim - i - 1) / 2 + (j - i - 1);
    }

    /** The log-signature of the piecewise-linear path through {@code points} (rows). */
    public static double[] of(double[][] points, int depth) {
        double[] flat = Signature.flatten(points);
        int d = points[0].length;
        double[] out = new double[dimension(d, depth)];
        compute(flat, 0, points.length, d, depth, out, 0);
        return out;
    }

    /**
     * Writes the log-signature of the path through {@code length} row-major points of dimension
     * {@code dim} (from {@code values[offset]}) into {@code out[outOffset …]}
     * ({@link #dimension} entries). values: read; out: written.
     */
    public static void compute(double[] values, int offset, int length, int dim, int depth,
                               double[] out, int outOffset) {
        int size = dimension(dim, depth);
        if (length < 1) {
            throw new IllegalArgumentException("a path needs at least one point, got length " + length);
        }
        if (offset < 0 || (long) offset + (long) length * dim > values.length) {
            throw new IllegalArgumentException("path of " + length + "×" + dim + " values at offset " + offset
                    + " does not fit an array of " + values.length);
        }
        if (outOffset < 0 || (long) outOffset + size > out.length) {
            throw new IllegalArgumentException("log-signature of " + size + " values at offset " + outOffset
                    + " does not fit an output array of " + out.length);
        }
        int last = offset + (length - 1) * dim;
        for (int c = 0; c < dim; c++) {
            out[outOffset + c] = values[last + c] - values[offset + c];
        }
        if (depth == 1) {
            return;
        }
        // A^{ij} = ½ Σ_l (R_l^i δ_l^j − R_l^j δ_l^i) with R_l = X_{l−1} − X_0 the increment so far.
        int areas = outOffset + dim;
        java.util.Arrays.fill(out, areas, outOffset + size, 0.0);
        double[] r = new double[dim]; // workspace, allocated once per path
        double[] delta = new double[dim];
        for (int p = 1; p < length; p++) {
            int cur = offset + p * dim;
            int prev = cur - dim;
            for (int i = 0; i < dim; i++) {
                r[i] = values[prev + i] - values[offset + i];
                delta[i] = values[cur + i] - values[prev + i];
            }
            int a = areas;
            for (int i = 0; i < dim; i++) {
                double ri = r[i];
                double di = delta[i];
                for (int j = i + 1; j < dim; j++) {
                    out[a++] += 0.5 * (ri * delta[j] - r[j] * di);
                }
            }
        }
    }

    /**
     * The Hall-basis log-signature read off a signature of depth ≥ {@code depth}: the level-1
     * terms, then for depth 2 the antisymmetric part {@code ½(S^{ij} − S^{ji})} of level 2.
     */
    public static double[] fromSignature(Signature signature, int depth) {
        int d = signature.dim();
        if (signature.depth() < depth) {
            throw new IllegalArgumentException("a depth-" + depth + " log-signature needs a signature of depth ≥ "
                    + depth + ", got " + signature.depth());
        }
        double[] out = new double[dimension(d, depth)];
        double[] l1 = signature.level(1);
        System.arraycopy(l1, 0, out, 0, d);
        if (depth == 2) {
            double[] l2 = signature.level(2);
            int a = d;
            for (int i = 0; i < d; i++) {
                for (int j = i + 1; j < d; j++) {
                    out[a++] = 0.5 * (l2[i * d + j] - l2[j * d + i]);
                }
            }
        }
        return out;
    }

    private static void checkDepth(int depth) {
        if (depth < 1 || depth > 2) {
            throw new IllegalArgumentException("log-signature depth " + depth + " is not supported: only depths 1 and 2"
                    + " (Hall basis with Lévy areas, SPEC §3.5) are implemented");
        }
    }
}
